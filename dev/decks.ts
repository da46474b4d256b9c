/** Throwaway decks and demo folders in the temp folder, for tests and the bench; each removed by `remove()`. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../', import.meta.url))

/** What `slidev` reads to serve the deck (everything else stays behind). */
const DECK_FILES = ['package.json', 'slides.md', 'vite.config.ts', 'tsconfig.json', 'pages', 'components', 'layouts', 'client', 'common', 'server', 'build', 'styles', 'public', 'demos']

export interface Folder { dir: string, remove: () => void }

function tempFolder(prefix: string): Folder {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A copy of the deck as a presenter has it right after `npm install`: the project's files and a
 * node_modules of its own (links to the installed packages), so that Vite's dependency cache
 * (node_modules/.vite) starts empty without touching the checkout's.
 */
export function createFreshDeck(): Folder {
  const deck = tempFolder('k8s-basics-fresh-')
  for (const f of DECK_FILES)
    cpSync(path.join(REPO, f), path.join(deck.dir, f), { recursive: true })
  const modules = path.join(deck.dir, 'node_modules')
  mkdirSync(modules)
  for (const name of readdirSync(path.join(REPO, 'node_modules'))) {
    if (name !== '.vite')
      symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name))
  }
  return deck
}

const PLAIN_SLIDES = `---
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

/**
 * The reference deck: a plain three-slide Slidev deck (default theme, nothing of ours: no
 * vite.config.ts, no components, no terminal bridge) with the repo's node_modules linked. No
 * package.json on purpose: Vite then keeps its optimizer cache in <dir>/.vite instead of the
 * shared node_modules/.vite.
 */
export function createPlainDeck(): Folder & { slides: number } {
  const deck = tempFolder('bench-plain-deck-')
  writeFileSync(path.join(deck.dir, 'slides.md'), PLAIN_SLIDES)
  symlinkSync(path.join(REPO, 'node_modules'), path.join(deck.dir, 'node_modules'), 'dir')
  return { ...deck, slides: 3 }
}

export interface TempDemos extends Folder {
  /** Writes `<id>/demo.yaml` and the given files; returns the demo's folder. */
  add: (id: string, yaml: string, files?: Record<string, string>) => string
}

/** A demos folder of small demos, for tests of loading, sessions and rehearsal. */
export function tempDemos(): TempDemos {
  const folder = tempFolder('demos-')
  return {
    ...folder,
    add(id, yaml, files = {}) {
      const dir = path.join(folder.dir, id)
      mkdirSync(dir, { recursive: true })
      writeFileSync(path.join(dir, 'demo.yaml'), yaml)
      for (const [name, content] of Object.entries(files))
        writeFileSync(path.join(dir, name), content)
      return dir
    },
  }
}

/** A demos folder with one tiny bash demo per id (or the demo.yaml `yaml[id]`). */
export function tinyDemos(ids: string[], yaml: Record<string, string> = {}): TempDemos {
  const demos = tempDemos()
  for (const id of ids)
    demos.add(id, yaml[id] ?? `title: tiny ${id}\nsteps:\n  - type: echo tiny-${id}\n`)
  return demos
}

/**
 * A two-slide deck whose second slide is the live terminal of a demo of its own (`files`: its
 * demo.yaml, recording and scripts), served by the project's bridge from the deck's demos folder:
 * for tests and the bench of what the presenter sees on a demo that is not one of the talk's.
 */
export function createDemoDeck(id: string, files: Record<string, string>): Folder {
  return createDemosDeck({ [id]: files })
}

export interface DemosDeckOptions {
  /** Lines added to the deck's headmatter (e.g. `prepareAhead: all`). */
  headmatter?: string[]
  /**
   * The deck's Slidev hooks too (prepare-ahead in every window, its status for the presenter),
   * and demo slides as the talk has them (`layout: demo`, `routeAlias: <id>`), which they read.
   */
  deckHooks?: boolean
}

/**
 * A deck of demos of its own, each on a slide after a plain one (title, then demo 1, plain,
 * demo 2, ...).
 */
export function createDemosDeck(demos: Record<string, Record<string, string>>, { headmatter = [], deckHooks = false }: DemosDeckOptions = {}): Folder {
  const deck = tempFolder('k8s-basics-demo-deck-')
  for (const d of ['components', 'client', 'common', ...(deckHooks ? ['setup/root.ts', 'global-top.vue', 'layouts'] : [])]) {
    mkdirSync(path.dirname(path.join(deck.dir, d)), { recursive: true })
    cpSync(path.join(REPO, d), path.join(deck.dir, d), { recursive: true })
  }
  const ids = Object.keys(demos)
  for (const [id, files] of Object.entries(demos)) {
    const demo = path.join(deck.dir, 'demos', id)
    mkdirSync(demo, { recursive: true })
    for (const [name, content] of Object.entries(files))
      writeFileSync(path.join(demo, name), content)
  }
  const title = ids.length === 1 ? ids[0]! : 'demos'
  const demoSlide = (id: string) => `${deckHooks ? `layout: demo\nrouteAlias: ${id}\n---\n\n` : '\n'}<LiveTerminal demo="${id}" height="300px" />\n`
  const slides = ids.map((id, i) => `# ${i === 0 ? title : `before ${id}`}\n\n---\n${demoSlide(id)}`)
  writeFileSync(path.join(deck.dir, 'slides.md'), `---\ntitle: ${title}\nfonts:\n  provider: none\nremoteAssets: false\n${headmatter.map(l => `${l}\n`).join('')}---\n\n${slides.join('\n---\n\n')}`)
  const project = (f: string) => JSON.stringify(path.join(REPO, f))
  writeFileSync(path.join(deck.dir, 'vite.config.ts'), [
    `import config from ${project('vite.config.ts')}`,
    `import { liveTerminal } from ${project('server/bridge/vite-plugin.ts')}`,
    `export default { ...config, plugins: [liveTerminal({ demosDir: ${JSON.stringify(path.join(deck.dir, 'demos'))} })] }`,
    '',
  ].join('\n'))
  writeFileSync(path.join(deck.dir, 'package.json'), '{ "private": true, "type": "module" }\n')
  symlinkSync(path.join(REPO, 'node_modules'), path.join(deck.dir, 'node_modules'), 'dir')
  return deck
}
