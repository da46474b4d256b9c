/**
 * The browser dependencies Vite must pre-bundle before the first page load. Vite discovers a
 * dependency it was not told about only when a page imports it, then re-optimizes and reloads
 * the page: on a fresh install the first open reloaded /1 twice and the first demo slide four
 * times (dropping its live terminal). Slidev scans only its own entry, so our components'
 * imports are found here, by reading them, and a few of Slidev's client imports that its own
 * list names only by their nested path are named once below.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Where the deck's browser code lives (Slidev auto-imports components/ and layouts/). */
const BROWSER_DIRS = ['client', 'common', 'components', 'layouts']
/** Imported by @slidev/client under these bare names, found late without this list (Slidev 53). */
const SLIDEV_LATE = ['@fix-webm-duration/fix', '@shikijs/engine-javascript', 'ansis', 'file-saver', 'recordrtc']
/** Provided by Slidev itself (aliased or excluded from pre-bundling by its config). */
const SLIDEV_OWN = /^(?:@slidev\/|vue$|@vueuse\/|vue-router$)/

/** The package a bare specifier names: `@scope/pkg/sub` -> `@scope/pkg/sub`, but no CSS or types. */
function bareImports(source: string): string[] {
  const found: string[] = []
  for (const m of source.matchAll(/^\s*import\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"./][^'"]*)['"]/gm)) {
    const spec = m[1]!
    if (!spec.endsWith('.css') && !SLIDEV_OWN.test(spec))
      found.push(spec)
  }
  return found
}

function sources(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  }
  catch {
    return []
  }
  return names.filter(n => /\.(?:ts|vue)$/.test(n) && !n.endsWith('.d.ts')).map(n => path.join(dir, n))
}

export function clientDependencies(root = ROOT): string[] {
  const deps = new Set(SLIDEV_LATE)
  for (const file of BROWSER_DIRS.flatMap(d => sources(path.join(root, d)))) {
    for (const spec of bareImports(readFileSync(file, 'utf8')))
      deps.add(spec)
  }
  return [...deps].sort()
}
