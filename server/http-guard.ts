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
import { TOKEN_PATH } from '../common/protocol.ts'
import { checkHostHeader, checkLoopback, checkUpgrade, checkWrite } from './guard.ts'

export interface GuardOptions {
  /** Why live terminals are off for this server's pages (`--remote`): the token endpoint says it. */
  terminalsOff?: string
  log: (line: string) => void
}

const OK: Verdict = { ok: true }
const MCP_PATH = '/__mcp'
/** GET requests that act rather than read. */
const ACTING_GETS = ['/__open-in-editor']

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0]!
}

/** What the guard decides for one plain HTTP request, before any other middleware sees it. */
export function checkRequest(req: IncomingMessage, terminalsOff?: string): Verdict {
  const host = checkHostHeader(req)
  if (!host.ok)
    return host
  const path = pathOf(req)
  if (path === MCP_PATH || path.startsWith(`${MCP_PATH}/`))
    return { ok: false, status: 403, reason: 'Slidev\'s MCP server edits the slides: it is off (mcp: false) and refused' }
  if (path === TOKEN_PATH && terminalsOff)
    return { ok: false, status: 503, reason: terminalsOff }
  if ((req.method !== 'GET' && req.method !== 'HEAD') || ACTING_GETS.includes(path))
    return checkWrite(req)
  // A viewer on the network (`--remote`) reads the deck, nothing else: no file by absolute path
  // beyond the packages the page loads, no token.
  if (!checkLoopback(req).ok) {
    if (path.startsWith('/@fs/') && !path.includes('/node_modules/'))
      return { ok: false, status: 403, reason: `files by absolute path are for this machine only (${req.socket.remoteAddress})` }
    if (path === TOKEN_PATH)
      return checkLoopback(req)
  }
  return OK
}

/** One line per refusal: who, what, why. */
function describe(req: IncomingMessage, v: Extract<Verdict, { ok: false }>): string {
  return `refused ${req.method} ${pathOf(req)} from ${req.socket.remoteAddress} (Origin ${req.headers.origin ?? 'none'}, Host ${req.headers.host ?? 'none'}): ${v.reason}`
}

/**
 * Puts the guard in front of the dev server: first in the middleware stack (ahead of Vite's own
 * middlewares and every plugin's, whatever their order), and ahead of every `upgrade` listener,
 * including those added later (Vite's HMR, the bridge).
 */
export function installGuard(server: Pick<ViteDevServer, 'middlewares' | 'httpServer'>, o: GuardOptions): void {
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const v = checkRequest(req, o.terminalsOff)
    if (v.ok)
      return next()
    o.log(describe(req, v))
    res.writeHead(v.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(v.reason)
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
        o.log(describe(req, v))
        socket.end(`HTTP/1.1 ${v.status} Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${v.reason}`)
        return true
      }
    }
    return emit(event, ...args)
  }
}
