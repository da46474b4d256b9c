/**
 * The terminal bridge: authenticates WebSocket upgrades on BRIDGE_PATH, hands the page its
 * token on TOKEN_PATH, and connects each socket to the shared session of the demo it names.
 * It is mounted on Vite's server by the plugin and on a bare http server by `standalone.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { RawData, WebSocket } from 'ws'
import type { ClientMessage, Role, ServerMessage } from '../common/protocol.ts'
import type { Viewer } from './output-stream.ts'
import type { SessionOptions } from './session.ts'
import { WebSocketServer } from 'ws'
import { BRIDGE_PATH, CloseCode, encode, parseClientMessage, TOKEN_PATH } from '../common/protocol.ts'
import { DemoError, DEMOS_DIR, loadDemo } from './demos.ts'
import { checkTokenRequest, checkUpgrade, newToken, redact, tokenMatches } from './guard.ts'
import { TerminalSession } from './session.ts'

export interface BridgeOptions {
  demosDir?: string
  token?: string
  /** Distinct demo sessions alive at once. */
  maxSessions?: number
  /** Largest client frame in bytes; larger ones close the socket with 1009. */
  maxPayload?: number
  /** Ping interval; a socket that misses one pong is dropped at the next. */
  heartbeatMs?: number
  /** Time a new socket has to send its hello. */
  helloTimeoutMs?: number
  /** When set, every upgrade is refused with this reason and nothing is spawned (export). */
  disabledReason?: string
  session?: SessionOptions
  log?: (line: string) => void
}

/** One browser window's socket, and the session it joined. */
interface Peer extends Viewer {
  ws: WebSocket
  alive: boolean
  session?: TerminalSession
}

export class Bridge {
  readonly token: string
  private readonly sessions = new Map<string, TerminalSession>()
  /** Every session not yet fully ended, including one still ending after a newer one took its id. */
  private readonly alive = new Set<TerminalSession>()
  private readonly peers = new Set<Peer>()
  private readonly wss: WebSocketServer
  private readonly heartbeat: NodeJS.Timeout
  private readonly opts: Required<Omit<BridgeOptions, 'disabledReason' | 'token'>> & Pick<BridgeOptions, 'disabledReason'>
  private closing: Promise<void> | undefined

  constructor(options: BridgeOptions = {}) {
    this.token = options.token ?? newToken()
    this.opts = {
      demosDir: DEMOS_DIR,
      maxSessions: 8,
      maxPayload: 64 * 1024,
      heartbeatMs: 15_000,
      helloTimeoutMs: 5_000,
      session: {},
      log: line => console.error(`[live-terminal] ${line}`),
      ...options,
    }
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.opts.maxPayload, perMessageDeflate: false })
    this.heartbeat = setInterval(() => this.beat(), this.opts.heartbeatMs)
    this.heartbeat.unref()
  }

  /** Live sessions, for tests and diagnostics. */
  sessionInfo(): { demo: string, pid: number | undefined, clients: number, phase: string }[] {
    return [...this.sessions.values()].map(s => ({ demo: s.demo.id, pid: s.pid, clients: s.viewerCount, phase: s.snapshot().phase }))
  }

  /** Open sockets, for tests and diagnostics: the demo joined and the bytes still queued to send. */
  connectionInfo(): { demo: string | undefined, role: Role, bufferedAmount: number }[] {
    return [...this.peers].map(c => ({ demo: c.session?.demo.id, role: c.role, bufferedAmount: c.ws.bufferedAmount }))
  }

  /** Serves the token endpoint; returns false for any other path. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (pathOf(req) !== TOKEN_PATH)
      return false
    const verdict = checkTokenRequest(req)
    if (!verdict.ok || req.method !== 'GET') {
      const reason = verdict.ok ? `method ${req.method}` : verdict.reason
      this.opts.log(`refused token request from ${req.socket.remoteAddress}: ${reason}`)
      res.writeHead(verdict.ok ? 405 : verdict.status, { 'content-type': 'text/plain' }).end(reason)
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
    if (pathOf(req) !== BRIDGE_PATH)
      return false
    const verdict = this.closing
      ? { ok: false as const, status: 503, reason: 'server shutting down' }
      : this.opts.disabledReason
        ? { ok: false as const, status: 503, reason: this.opts.disabledReason }
        : checkUpgrade(req)
    if (!verdict.ok) {
      this.opts.log(`refused connection from ${req.socket.remoteAddress} (Origin ${req.headers.origin ?? 'none'}, Host ${req.headers.host ?? 'none'}): ${verdict.reason}`)
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 403 ? 'Forbidden' : 'Service Unavailable'}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${verdict.reason}`)
      return true
    }
    this.wss.handleUpgrade(req, socket, head, ws => this.connect(ws, req))
    return true
  }

  private connect(ws: WebSocket, req: IncomingMessage): void {
    const who = `${req.socket.remoteAddress}:${req.socket.remotePort}`
    let role: Role = 'watch'
    const peer: Peer = {
      ws,
      alive: true,
      get role() {
        return role
      },
      output: (bytes) => {
        if (ws.readyState === ws.OPEN)
          ws.send(bytes, { binary: true })
      },
      message: (m: ServerMessage) => {
        if (ws.readyState === ws.OPEN)
          ws.send(encode(m))
      },
    }
    this.peers.add(peer)
    const refuse = (code: number, reason: string) => {
      this.opts.log(`closed ${who}: ${reason}`)
      ws.close(code, reason.slice(0, 120))
    }
    const helloTimer = setTimeout(() => refuse(CloseCode.policy, 'no hello within time'), this.opts.helloTimeoutMs)

    ws.on('pong', () => {
      peer.alive = true
    })
    ws.on('error', (err) => {
      this.opts.log(`socket error from ${who}: ${err.message}`)
    })
    ws.on('close', () => {
      clearTimeout(helloTimer)
      this.peers.delete(peer)
      peer.session?.leave(peer)
    })
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // ws still delivers frames that arrive after close() (a refused socket, a server that is
      // shutting down): they must not be able to join a session or reach a shell.
      if (ws.readyState !== ws.OPEN)
        return
      try {
        if (isBinary) {
          if (!peer.session)
            refuse(CloseCode.policy, 'first frame must be hello')
          return // clients send no binary frames; ignore rather than guess
        }
        const parsed = parseClientMessage(rawToString(data))
        if (!parsed.ok) {
          if (!peer.session)
            refuse(CloseCode.policy, `first frame must be hello (${parsed.error})`)
          return
        }
        const m = parsed.value
        if (!peer.session) {
          clearTimeout(helloTimer)
          if (m.type !== 'hello')
            return refuse(CloseCode.policy, 'first frame must be hello')
          if (!tokenMatches(m.token, this.token))
            return refuse(CloseCode.policy, `bad token ${redact(m.token)}`)
          role = m.role
          this.join(peer, m.demo, refuse)
          return
        }
        this.dispatch(peer, peer.session, m, refuse)
      }
      catch (err) {
        // Nothing a client sends may take the server down.
        this.opts.log(`error handling a frame from ${who}: ${(err as Error).stack ?? err}`)
      }
    })
  }

  private join(peer: Peer, demoId: string, refuse: (code: number, reason: string) => void): void {
    if (this.closing)
      return refuse(CloseCode.goingAway, 'server shutting down')
    let session = this.sessions.get(demoId)
    if (!session || session.ended) {
      if ([...this.sessions.values()].filter(s => !s.ended).length >= this.opts.maxSessions)
        return refuse(CloseCode.tryLater, `session limit (${this.opts.maxSessions}) reached; close another demo first`)
      let demo
      try {
        demo = loadDemo(demoId, this.opts.demosDir)
      }
      catch (err) {
        if (!(err instanceof DemoError))
          throw err
        this.opts.log(err.message)
        return refuse(CloseCode.policy, `demo "${demoId}" unavailable: ${err.message.split('\n')[0]}`)
      }
      const created: TerminalSession = new TerminalSession(demo, { log: this.opts.log, ...this.opts.session }, () => {
        if (this.sessions.get(demoId) === created)
          this.sessions.delete(demoId)
        this.alive.delete(created)
        this.opts.log(`session ${demoId} ended`)
      })
      session = created
      this.sessions.set(demoId, created)
      this.alive.add(created)
      this.opts.log(`session ${demoId} started`)
      created.start().catch(err => this.opts.log(`session ${demoId} failed to start: ${(err as Error).stack ?? err}`))
    }
    peer.session = session
    session.join(peer)
  }

  private dispatch(peer: Peer, session: TerminalSession, m: ClientMessage, refuse: (code: number, reason: string) => void): void {
    const failed = (what: string) => (err: unknown) => this.opts.log(`${what} in ${session.demo.id} failed: ${(err as Error).stack ?? err}`)
    // A watch-only window only acknowledges what it rendered: nothing it sends reaches the shell.
    if (peer.role !== 'control' && m.type !== 'ack')
      return
    switch (m.type) {
      case 'input':
        if (session.input(m.data) === 'overflow')
          refuse(CloseCode.policy, 'input flood: the shell is not reading its keystrokes')
        break
      case 'ack':
        session.ack(peer, m.bytes)
        break
      case 'step':
        session.step().catch(failed('step'))
        break
      case 'reset':
        session.reset().catch(failed('reset'))
        break
      case 'hello':
        break // already joined
    }
  }

  private beat(): void {
    for (const peer of this.peers) {
      if (!peer.alive) {
        this.opts.log('dropped a socket that stopped answering pings')
        peer.ws.terminate()
        continue
      }
      peer.alive = false
      peer.ws.ping()
    }
  }

  /** Last resort on process exit, when nothing async can run: SIGKILL every session's processes. */
  killNow(): void {
    for (const s of this.alive)
      s.killNow()
  }

  /** Closes every socket and ends every session (all their processes), then resolves. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.heartbeat)
      for (const peer of this.peers)
        peer.ws.close(CloseCode.goingAway, 'server shutting down')
      await Promise.all([...this.alive].map(s => s.end()))
      this.wss.close()
    })()
    return this.closing
  }
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0]!
}

function rawToString(data: RawData): string {
  if (Array.isArray(data))
    return Buffer.concat(data).toString('utf8')
  // ws hands us a Buffer by default: decode it in place rather than copy it first.
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8')
}
