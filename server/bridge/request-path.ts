/**
 * The one path rule: a request's path as the routers behind the guard will understand it.
 * Connect (Vite's middleware stack) matches routes case-insensitively, by prefix, with a `/` or
 * `.` after the route, and on absolute-form targets (`GET http://host/path`); Vite and sirv
 * decode percent-escapes and resolve dot segments before they touch a file; a case-insensitive
 * file system (macOS) serves `/Server/x.ts` as `server/x.ts`. So the guard decides on the path
 * normalized all those ways at once, and refuses what it cannot normalize (deny by default).
 */
import path from 'node:path'

export type RequestPath = { ok: true, path: string } | { ok: false, reason: string }

/** Escapes are decoded until stable, up to this many rounds (`%252e` is `%2e` is `.`). */
const DECODE_ROUNDS = 3

/**
 * The normalized, lowercased path of a request target (no query or fragment), e.g.
 * `/__OPEN-IN-EDITOR/./?file=x` → `/__open-in-editor`, `http://h:1//Server/%2e%2e/a` → `/a`.
 */
export function requestPath(target: string | undefined): RequestPath {
  let raw = target ?? ''
  if (/^[a-z][\w+.-]*:/i.test(raw)) { // absolute-form, as a proxy would send it
    try {
      raw = new URL(raw).pathname
    }
    catch {
      return { ok: false, reason: 'request target is not a valid URL' }
    }
  }
  if (!raw.startsWith('/'))
    return { ok: false, reason: 'request target is not a path' }
  let p = raw.split(/[?#]/, 1)[0]!
  for (let i = 0; i < DECODE_ROUNDS && p.includes('%'); i++) {
    try {
      p = decodeURIComponent(p)
    }
    catch {
      return { ok: false, reason: 'malformed percent-encoding in the path' }
    }
  }
  if (p.includes('%'))
    return { ok: false, reason: 'path encoded more than three times' }
  if (p.includes('\0'))
    return { ok: false, reason: 'NUL in the path' }
  p = path.posix.normalize(p.replaceAll('\\', '/'))
  if (p.length > 1 && p.endsWith('/'))
    p = p.slice(0, -1)
  return { ok: true, path: p.toLowerCase() }
}

/**
 * The path relative to the project root (`/server/x.ts`) for both ways Vite serves a project
 * file: by URL (`/server/x.ts`) and by absolute path (`/@fs/<root>/server/x.ts`); undefined for
 * a file outside the root.
 */
export function projectRelative(path: string, root: string): string | undefined {
  if (!path.startsWith('/@fs/'))
    return path
  const abs = path.slice('/@fs'.length)
  const base = root.toLowerCase().replace(/\/$/, '')
  return abs.startsWith(`${base}/`) ? abs.slice(base.length) : undefined
}
