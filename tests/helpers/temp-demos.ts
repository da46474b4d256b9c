/** Small demos written to a temporary folder, for tests of loading and rehearsal. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface TempDemos {
  dir: string
  add: (id: string, yaml: string, files?: Record<string, string>) => string
  remove: () => void
}

export function tempDemos(): TempDemos {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'demos-'))
  return {
    dir,
    add(id, yaml, files = {}) {
      const folder = path.join(dir, id)
      mkdirSync(folder, { recursive: true })
      writeFileSync(path.join(folder, 'demo.yaml'), yaml)
      for (const [name, content] of Object.entries(files))
        writeFileSync(path.join(folder, name), content)
      return folder
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
