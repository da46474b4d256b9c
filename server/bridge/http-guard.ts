/**
 * The guard in front of everything Slidev's dev server answers. The bridge guards its own door,
 * but the same server also writes slides (`POST /__slidev/slides/<n>.json`), shared state
 * (`POST /@server-ref/…`, drawings, snapshots), runs an MCP server that edits the deck
 * (`/__mcp`), opens an editor (`/__open-in-editor`), and carries Vite's HMR socket (which can
 * fetch modules). Whatever a foreign page or a LAN peer could write there, the deck later
 * renders in its own origin, where the terminal token is one fetch away. So: every request that
 * can change anything must come from the deck's own page over loopback (`checkWrite`).
 */
import type { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Connect, ViteDevServer } from 'vite'
import type { Verdict } from './guard.ts'
import { FOLLOW_INFO_PATH } from '../../common/follow-protocol.ts'
import { TOKEN_PATH } from '../../common/protocol.ts'
import { checkFetchMetadata, checkHostHeader, checkLoopback, checkUpgrade, checkWrite } from './guard.ts'
import { refusalLine, refuseRequest, refuseUpgrade } from './refusal.ts'
import { projectRelative, requestPath } from './request-path.ts'

export interface GuardOptions {
  /** Why live terminals are off for this server's pages (`--remote`): the token endpoint says it. */
  terminalsOff?: string
  /** Vite's `/__open-in-editor` (it starts a program): off unless the presenter turns it on. */
  openInEditor?: boolean
  /** The project's root: its server-side folders are never served (`/@fs/<root>/server/…` too). */
  root: string
  log: (line: string) => void
}

const OK: Verdict = { ok: true }
/** Acting endpoints, matched by prefix on the normalized path (connect routes `/__mcp.x` and `/__MCP/` there too). */
const MCP_PATH = '/__mcp'
const EDITOR_PATH = '/__open-in-editor'
/** What the browser never needs: the Node side, its tests and tools. Never served, never transformed. */
const PRIVATE = ['/server', '/build', '/dev', '/tests', '/bench', '/.ci', '/.git', '/vite.config.ts', '/vitest.config.ts', '/playwright.config.ts']

/**
 * Every response forbids framing by any page but the deck's own (`frame-ancestors` for current
 * browsers, `X-Frame-Options` for older ones) and puts the deck in a browsing context group of its
 * own (`Cross-Origin-Opener-Policy`), so a foreign page that opens it as a popup gets a closed
 * handle: no `postMessage`, no navigation of it. `Cross-Origin-Resource-Policy` has the browser drop
 * what a foreign page loads even where `Sec-Fetch-*` is not sent.
 */
export const DOOR_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': 'frame-ancestors \'self\'',
  'x-frame-options': 'SAMEORIGIN',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

/** What the guard decides for one plain HTTP request, before any other middleware sees it. */
export function checkRequest(req: IncomingMessage, o: Omit<GuardOptions, 'log'>): Verdict {
  const host = checkHostHeader(req)
  if (!host.ok)
    return host
  const target = requestPath(req.url)
  if (!target.ok)
    return { ok: false, status: 400, reason: target.reason }
  const path = target.path
  const fetchMeta = checkFetchMetadata(req)
  if (!fetchMeta.ok)
    return fetchMeta
  const file = projectRelative(path, o.root)
  if (file !== undefined && PRIVATE.some(p => file === p || file.startsWith(`${p}/`)))
    return { ok: false, status: 404, reason: `${file} is the server's, never served to a browser` }
  if (path.startsWith(MCP_PATH))
    return { ok: false, status: 403, reason: 'Slidev\'s MCP server edits the slides: it is off (mcp: false) and refused' }
  if (path.startsWith(EDITOR_PATH) && !o.openInEditor)
    return { ok: false, status: 403, reason: 'open-in-editor starts a program: it is off (OPEN_IN_EDITOR=1 turns it on)' }
  if (path === TOKEN_PATH && o.terminalsOff)
    return { ok: false, status: 503, reason: o.terminalsOff }
  if ((req.method !== 'GET' && req.method !== 'HEAD') || path.startsWith(EDITOR_PATH))
    return checkWrite(req)
  // A viewer on the network (`--remote`) reads the deck, nothing else: no file by absolute path
  // beyond the packages the page loads, no token.
  if (!checkLoopback(req).ok) {
    if (path.startsWith('/@fs/') && !path.includes('/node_modules/'))
      return { ok: false, status: 403, reason: `files by absolute path are for this machine only (${req.socket.remoteAddress})` }
    if (path === TOKEN_PATH || path === FOLLOW_INFO_PATH) // the follow address is the presenter's to show
      return checkLoopback(req)
  }
  return OK
}

/**
 * Puts the guard in front of the dev server: first in the middleware stack (ahead of Vite's own
 * middlewares and every plugin's, whatever their order), and ahead of every `upgrade` listener,
 * including those added later (Vite's HMR, the bridge).
 */
export function installGuard(server: Pick<ViteDevServer, 'middlewares' | 'httpServer'>, o: GuardOptions): void {
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    for (const [name, value] of Object.entries(DOOR_HEADERS))
      res.setHeader(name, value)
    const v = checkRequest(req, o)
    if (v.ok)
      return next()
    o.log(refusalLine(req, v.reason))
    refuseRequest(res, v.status, v.reason)
  }
  server.middlewares.stack.unshift({ route: '', handle: middleware as Connect.NextHandleFunction })

  const http: EventEmitter | null = server.httpServer
  if (!http)
    return
  const emit = http.emit.bind(http)
  http.emit = (event: string | symbol, ...args: unknown[]) => {
    if (event === 'upgrade') {
      const [req, socket] = args as [IncomingMessage, Duplex]
      const v = checkUpgrade(req) // any WebSocket (the bridge's, Vite's HMR, others) can change something
      if (!v.ok) {
        o.log(refusalLine(req, v.reason))
        refuseUpgrade(socket, v.status, v.reason)
        return true
      }
    }
    return emit(event, ...args)
  }
}
