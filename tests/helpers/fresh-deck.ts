/**
 * A copy of the deck as a presenter has it right after `npm install`: the project's files in a
 * temp dir and a node_modules of its own (links to the installed packages), so that Vite's
 * dependency cache (node_modules/.vite) starts empty without touching the checkout's.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
/** What `slidev` reads to serve the deck (everything else stays behind). */
const DECK_FILES = ['package.json', 'slides.md', 'vite.config.ts', 'tsconfig.json', 'pages', 'components', 'layouts', 'client', 'common', 'server', 'build', 'styles', 'public', 'demos']

export interface FreshDeck { dir: string, remove: () => void }

export function createFreshDeck(): FreshDeck {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'k8s-basics-fresh-'))
  for (const f of DECK_FILES)
    cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true })
  const modules = path.join(dir, 'node_modules')
  mkdirSync(modules)
  for (const name of readdirSync(path.join(REPO, 'node_modules'))) {
    if (name !== '.vite')
      symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name))
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
