/**
 * The reference deck: a plain three-slide Slidev deck (default theme, nothing of ours: no
 * vite.config.ts, no components, no terminal bridge), generated in a temp dir with the repo's
 * node_modules symlinked. No package.json on purpose: Vite then keeps its optimizer cache in
 * <dir>/.vite instead of the shared node_modules/.vite that the real deck (and other people's
 * dev servers) use.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { REPO } from './lib.ts'

const SLIDES = `---
theme: default
title: Plain deck
fonts:
  provider: none
remoteAssets: false
download: false
---

# Plain deck

A reference deck for the benchmark

---

# Second slide

- one
- two
- three

---

# Third slide

\`\`\`ts
console.log('hello')
\`\`\`
`

export interface PlainDeck { dir: string, slides: number, remove: () => void }

export function createPlainDeck(): PlainDeck {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-plain-deck-'))
  writeFileSync(path.join(dir, 'slides.md'), SLIDES)
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  return { dir, slides: 3, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
