/**
 * The deck with different bridge options, for trying a change in a real browser without
 * touching the repo: a temp dir whose vite.config.ts mounts the repo's live-terminal plugin
 * with the given options (and a bench/pty-experiments.ts experiment in slidev's process), and
 * symlinks to everything else the deck is made of. No package.json:
 * Vite then keeps its optimizer cache in <dir>/.vite, apart from the real deck's.
 */
import type { PtyExperiment } from './pty-experiments.ts'
import type { BridgeOptions } from '../server/bridge.ts'
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { REPO } from './lib.ts'

const LINKED = ['slides.md', 'pages', 'components', 'layouts', 'styles', 'public', 'setup', 'node_modules', 'uno.config.ts']

export interface TunedDeck { dir: string, remove: () => void }

export function createTunedDeck(options: BridgeOptions, experiment: PtyExperiment = {}): TunedDeck {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-tuned-deck-'))
  for (const name of LINKED) {
    if (existsSync(path.join(REPO, name)))
      symlinkSync(path.join(REPO, name), path.join(dir, name))
  }
  const plugin = JSON.stringify(path.join(REPO, 'server/vite-plugin.ts'))
  const experiments = JSON.stringify(path.join(REPO, 'bench/pty-experiments.ts'))
  writeFileSync(path.join(dir, 'vite.config.ts'), `import { defineConfig } from 'vite'
import { liveTerminal } from ${plugin}
import { instrumentPty } from ${experiments}

instrumentPty(${JSON.stringify(experiment)})

export default defineConfig({
  plugins: [liveTerminal(${JSON.stringify(options)})],
  server: { fs: { allow: [${JSON.stringify(REPO)}, ${JSON.stringify(dir)}] } },
})
`)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
