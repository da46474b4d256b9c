/**
 * The terminal bridge: authenticates WebSocket upgrades on BRIDGE_PATH, hands the page its
 * token on TOKEN_PATH, and connects each socket to the shared session of the demo it names.
 * It is mounted on Vite's server by the plugin and on a bare http server by `standalone.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import type { Role } from '../../common/protocol.ts'
import type { Admission } from '../session/session-registry.ts'
import type { SessionOptions, TerminalSession } from '../session/session.ts'
import { WebSocketServer } from 'ws'
import { BRIDGE_PATH, CloseCode, TOKEN_PATH } from '../../common/protocol.ts'
import { endStaleGroups } from '../containment/cgroup.ts'
import { endStaleDemoHosts } from '../demo-host/container.ts'
import { demoHostSetting } from '../demo-host/placement.ts'
import { DEMOS_DIR, listDemoIds } from '../demos/demos.ts'
import { checkTokenRequest, checkUpgrade, newToken } from './guard.ts'
import { refusalLine, refuseRequest, refuseUpgrade } from './refusal.ts'
import { WindowSocket } from './window-socket.ts'
import { requestPath } from './request-path.ts'
import { SessionRegistry } from '../session/session-registry.ts'

export interface BridgeOptions {
  demosDir?: string
  token?: string
  /**
   * Distinct demo sessions alive at once; by default one per demo in `demosDir`, so that
   * `prepareAhead: all` can keep every demo of the deck ready (a session per demo id at most).
   */
  maxSessions?: number
  /** Windows one demo's session may have at once. */
  maxWindows?: number
  /** Largest client frame in bytes; larger ones close the socket with 1009. */
  maxPayload?: number
  /**
   * Ping interval; a socket that misses one pong is dropped at the next. Each joined window also
   * gets a `beat` message then (pings are invisible to a page), so it sees a silent server.
   */
  heartbeatMs?: number
  /** Time a new socket has to send its hello. */
  helloTimeoutMs?: number
  /** When set, every upgrade is refused with this reason and nothing is spawned (export). */
  disabledReason?: string
  session?: SessionOptions
  log?: (line: string) => void
}

export class Bridge {
  readonly token: string
  private readonly sessions: SessionRegistry
  private readonly windows = new Set<WindowSocket>()
  private readonly sessionListeners = new Set<(s: TerminalSession) => void>()
  private readonly wss: WebSocketServer
  private readonly heartbeat: NodeJS.Timeout
  private readonly opts: Required<Omit<BridgeOptions, 'disabledReason' | 'token'>> & Pick<BridgeOptions, 'disabledReason'>
  private closing: Promise<void> | undefined

  constructor(options: BridgeOptions = {}) {
    this.token = options.token ?? newToken()
    const demosDir = options.demosDir ?? DEMOS_DIR
    this.opts = {
      demosDir,
      maxSessions: Math.max(1, listDemoIds(demosDir).length),
      maxWindows: 32,
      maxPayload: 64 * 1024,
      heartbeatMs: 5_000,
      helloTimeoutMs: 5_000,
      session: {},
      log: line => console.error(`[live-terminal] ${line}`),
      ...options,
    }
    // A DEMO_HOST that is none of its values stops the server here, not the first root demo.
    demoHostSetting()
    // Before any session of ours: what a crashed server left running dies now, not never.
    endStaleGroups(this.opts.log)
    void endStaleDemoHosts(this.opts.log)
    this.sessions = new SessionRegistry({ ...this.opts, onSession: (s) => {
      for (const l of this.sessionListeners)
        l(s)
    } })
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.opts.maxPayload, perMessageDeflate: false })
    this.heartbeat = setInterval(() => this.beat(), this.opts.heartbeatMs)
    this.heartbeat.unref()
  }

  /** Live sessions, for tests and diagnostics. */
  sessionInfo(): { demo: string, pid: number | undefined, clients: number, phase: string }[] {
    return this.sessions.info()
  }

  /**
   * Tells `listener` of every live session now and of each one as it starts (the follow hub taps
   * their output; it never starts one, nor reaches input). Returns the unsubscription.
   */
  observeSessions(listener: (s: TerminalSession) => void): () => void {
    this.sessionListeners.add(listener)
    for (const s of this.sessions.liveSessions())
      listener(s)
    return () => this.sessionListeners.delete(listener)
  }

  /** Open sockets, for tests and diagnostics: the demo joined and the bytes still queued to send. */
  connectionInfo(): { demo: string | undefined, role: Role, bufferedAmount: number }[] {
    return [...this.windows].map(c => ({ demo: c.session?.demo.id, role: c.role, bufferedAmount: c.ws.bufferedAmount }))
  }

  /** Serves the token endpoint; returns false for any other path. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (!isPath(req, TOKEN_PATH))
      return false
    const verdict = checkTokenRequest(req)
    if (!verdict.ok || req.method !== 'GET') {
      const reason = verdict.ok ? `method ${req.method}` : verdict.reason
      this.opts.log(refusalLine(req, reason))
      refuseRequest(res, verdict.ok ? 405 : verdict.status, reason)
      return true
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    }).end(JSON.stringify({ token: this.token }))
    return true
  }

  /** Handles an upgrade on BRIDGE_PATH; returns false for any other path (e.g. Vite's HMR). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!isPath(req, BRIDGE_PATH))
      return false
    const verdict = this.closing
      ? { ok: false as const, status: 503, reason: 'server shutting down' }
      : this.opts.disabledReason
        ? { ok: false as const, status: 503, reason: this.opts.disabledReason }
        : checkUpgrade(req)
    if (!verdict.ok) {
      this.opts.log(refusalLine(req, verdict.reason))
      refuseUpgrade(socket, verdict.status, verdict.reason)
      return true
    }
    this.wss.handleUpgrade(req, socket, head, ws => this.connect(ws, req))
    return true
  }

  private connect(ws: WebSocket, req: IncomingMessage): void {
    const socket = new WindowSocket(ws, `${req.socket.remoteAddress}:${req.socket.remotePort}`, {
      token: this.token,
      helloTimeoutMs: this.opts.helloTimeoutMs,
      heartbeatMs: this.opts.heartbeatMs,
      admit: demoId => this.admit(demoId),
      closed: p => this.windows.delete(p),
      log: this.opts.log,
    })
    this.windows.add(socket)
  }

  private admit(demoId: string): Admission {
    if (this.closing)
      return { ok: false, code: CloseCode.goingAway, reason: 'server shutting down' }
    return this.sessions.sessionFor(demoId)
  }

  private beat(): void {
    for (const w of this.windows) {
      if (!w.alive) {
        this.opts.log('dropped a socket that stopped answering pings')
        w.ws.terminate()
        continue
      }
      w.alive = false
      w.ws.ping()
      w.beat()
    }
  }

  /** Last resort on process exit, when nothing async can run: SIGKILL every session's processes. */
  killNow(): void {
    this.sessions.killNow()
  }

  /** Closes every socket and ends every session (all their processes), then resolves. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.heartbeat)
      for (const w of this.windows)
        w.ws.close(CloseCode.goingAway, 'server shutting down')
      await this.sessions.endAll()
      this.wss.close()
    })()
    return this.closing
  }
}

/** Whether the request is for `path`, read by the one path rule the guard in front decides by. */
function isPath(req: IncomingMessage, path: string): boolean {
  const target = requestPath(req.url)
  return target.ok && target.path === path
}
