/**
 * A real `slidev` dev server with the project's vite.config.ts (the bridge and the guard) on a
 * throwaway deck in a temp folder, so that a test which gets a write through cannot touch the
 * real slides. Its MCP server is left on in the headmatter: refusing `/__mcp` is the guard's job.
 * With LT_BRIDGE=naive (`npm run test:naive`) the deck is plain Slidev with Vite's defaults and
 * without the deck's index.html: no guard, no bridge, no message filter, and every test of them
 * must fail there.
 */
import { createHash } from 'node:crypto'
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DECK_ENV } from '../../playwright.config.ts'
import { RECORDING_FILE } from '../../common/asciicast.ts'
import { freePort } from '../../dev/ports.ts'
import { startSlidev } from '../../dev/slidev.ts'
import { waitFor } from '../../dev/wait.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

const SLIDES = `---
title: guard test deck
mcp: true
---

# one

---

# two

<!-- the presenter's note -->

---

# three
`

export interface DeckServer {
  port: number
  /** The slidev process (the leader of its process group; the bridge runs in it): e.g. to SIGSTOP it, or read its memory. */
  pid: number
  /** The deck's own origin as a browser on this machine sees it. */
  origin: string
  dir: string
  /** Everything the server printed so far. */
  log: () => string
  /** What it printed after offset `from`, once that matches `re` `times` times (default once), or after 2 s. */
  logged: (re: RegExp, from?: number, times?: number) => Promise<string>
  /** sha256 of every file in the deck folder (not node_modules): to show nothing was written. */
  files: () => Record<string, string>
  close: () => Promise<void>
}

export interface DeckOptions {
  /** Adds a slide (number 4) with this demo's live terminal, with the component and its recording. */
  demo?: string
  /** Default: a free one. */
  port?: number
  /** Extra slidev arguments, e.g. ['--remote', '--bind', ADDR]. */
  args?: string[]
  /** The address to poll until the server answers. */
  address?: string
  /** Project folders copied into the deck as they are (e.g. ['server'], for a test that attacks their files). */
  copy?: string[]
  /** Extra environment for the server (e.g. OPEN_IN_EDITOR, LAUNCH_EDITOR). */
  env?: Record<string, string>
}

export async function startDeck(o: DeckOptions = {}): Promise<DeckServer> {
  const port = o.port ?? await freePort()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-guard-'))
  writeFileSync(path.join(dir, 'slides.md'), SLIDES)
  const config = process.env.LT_BRIDGE === 'naive' ? 'export default {}' : `export { default } from ${JSON.stringify(path.join(ROOT, 'vite.config.ts'))}`
  writeFileSync(path.join(dir, 'vite.config.ts'), `${config}\n`)
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "type": "module" }\n')
  if (process.env.LT_BRIDGE !== 'naive') // the deck's page-side door (it ignores foreign messages): part of the defence
    cpSync(path.join(ROOT, 'index.html'), path.join(dir, 'index.html'))
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'))
  for (const d of o.copy ?? [])
    cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true })
  if (o.demo) {
    // Copies, not links: a link would put the files outside the deck's root (served by /@fs).
    for (const d of ['components', 'client', 'common'])
      cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true })
    mkdirSync(path.join(dir, 'demos', o.demo), { recursive: true })
    for (const f of ['demo.yaml', RECORDING_FILE]) // the component reads its steps, the slide plays its recording
      cpSync(path.join(ROOT, 'demos', o.demo, f), path.join(dir, 'demos', o.demo, f))
    appendFileSync(path.join(dir, 'slides.md'), `\n---\n\n<LiveTerminal demo="${o.demo}" />\n`)
  }
  const slidev = await startSlidev({ cwd: dir, port, args: o.args, env: { ...process.env, ...DECK_ENV, ...o.env } })
  const close = async () => {
    await slidev.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  const files = () => {
    const out: Record<string, string> = {}
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name)
        if (e.isDirectory())
          walk(p)
        else if (e.isFile())
          out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex')
      }
    }
    walk(dir) // node_modules is a symlink: not followed
    return out
  }
  /** Resolves once the server has printed `times` matches of `re` after `from` (its output is piped, so it may lag the answer). */
  const logged = async (re: RegExp, from = 0, times = 1) => {
    const all = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)
    await waitFor(() => (slidev.output().slice(from).match(all)?.length ?? 0) >= times, String(re), 2000, 50).catch(() => {})
    return slidev.output().slice(from)
  }
  try {
    await slidev.ready(o.address ?? '127.0.0.1')
  }
  catch (err) {
    await close()
    throw err
  }
  return { port, pid: slidev.pid, origin: `http://localhost:${port}`, dir, log: slidev.output, logged, files, close }
}
