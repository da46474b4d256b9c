/**
 * node-pty, the native terminal module, loaded in one place so that a module that did not build
 * (no compiler at install time, or built for another Node) explains itself instead of failing
 * with a bare "Cannot find module …/pty.node" deep inside Vite's config loading.
 */
import type * as NodePty from 'node-pty'
import { createRequire } from 'node:module'

export const PTY_FIX = 'node-pty is compiled at install time: install python3, make and g++ (Debian: apt-get install python3 make g++), then run `npm rebuild node-pty` with the Node you start the deck with'

export type PtyLoad = { ok: true, pty: typeof NodePty } | { ok: false, error: string }

export function loadPty(): PtyLoad {
  try {
    return { ok: true, pty: createRequire(import.meta.url)('node-pty') as typeof NodePty }
  }
  catch (err) {
    const first = String((err as Error).message).split('\n')[0]
    return { ok: false, error: `node-pty cannot load for Node ${process.version} (ABI ${process.versions.modules}): ${first}` }
  }
}

/** node-pty, or an error that says what to do. */
export function requirePty(): typeof NodePty {
  const r = loadPty()
  if (!r.ok)
    throw new Error(`${r.error}\n  → ${PTY_FIX}`)
  return r.pty
}
