/**
 * One browser window's socket: its hello (token, demo, role), then what its frames may do in
 * the session it joined. A watch-only window can only acknowledge output; nothing a client
 * sends may take the server down.
 */
import type { RawData, WebSocket } from 'ws'
import type { ClientMessage, Role, ServerMessage } from '../../common/protocol.ts'
import type { Viewer } from '../session/output-stream.ts'
import type { Admission } from '../session/session-registry.ts'
import type { TerminalSession } from '../session/session.ts'
import { CloseCode, encode, parseClientMessage } from '../../common/protocol.ts'
import { redact, tokenMatches } from './guard.ts'

export interface WindowSocketOptions {
  token: string
  helloTimeoutMs: number
  /** The bridge's heartbeat, told to the window with each `beat`. */
  heartbeatMs: number
  /** The session a hello names, or why this window may not join one. */
  admit: (demoId: string) => Admission
  /** Called once when the socket closes, for whatever reason. */
  closed: (socket: WindowSocket) => void
  log: (line: string) => void
}

export class WindowSocket implements Viewer {
  /** Cleared by each heartbeat, set by the pong that answers it. */
  alive = true
  private joined: TerminalSession | undefined
  private currentRole: Role = 'watch'
  private readonly who: string

  constructor(readonly ws: WebSocket, who: string, private readonly opts: WindowSocketOptions) {
    this.who = who
    const helloTimer = setTimeout(() => this.refuse(CloseCode.policy, 'no hello within time'), opts.helloTimeoutMs)
    ws.on('pong', () => {
      this.alive = true
    })
    ws.on('error', err => opts.log(`socket error from ${who}: ${err.message}`))
    ws.on('close', () => {
      clearTimeout(helloTimer)
      this.joined?.leave(this)
      opts.closed(this)
    })
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // ws still delivers frames that arrive after close() (a refused socket, a server that is
      // shutting down): they must not be able to join a session or reach a shell.
      if (ws.readyState !== ws.OPEN)
        return
      try {
        if (!this.joined)
          clearTimeout(helloTimer)
        this.receive(data, isBinary)
      }
      catch (err) {
        opts.log(`error handling a frame from ${who}: ${(err as Error).stack ?? err}`)
      }
    })
  }

  get role(): Role {
    return this.currentRole
  }

  /** The session this window joined, if it has said hello. */
  get session(): TerminalSession | undefined {
    return this.joined
  }

  output(bytes: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN)
      this.ws.send(bytes, { binary: true })
  }

  message(m: ServerMessage): void {
    if (this.ws.readyState === this.ws.OPEN)
      this.ws.send(encode(m))
  }

  /** Tells a joined window the server is alive (it cannot see the heartbeat's pings). */
  beat(): void {
    if (this.joined)
      this.message({ type: 'beat', intervalMs: this.opts.heartbeatMs })
  }

  private refuse(code: number, reason: string): void {
    this.opts.log(`closed ${this.who}: ${reason}`)
    this.ws.close(code, reason.slice(0, 120))
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      if (!this.joined)
        this.refuse(CloseCode.policy, 'first frame must be hello')
      return // clients send no binary frames; ignore rather than guess
    }
    const parsed = parseClientMessage(rawToString(data))
    if (!parsed.ok) {
      if (!this.joined)
        this.refuse(CloseCode.policy, `first frame must be hello (${parsed.error})`)
      return
    }
    if (this.joined)
      return this.dispatch(this.joined, parsed.value)
    const m = parsed.value
    if (m.type !== 'hello')
      return this.refuse(CloseCode.policy, 'first frame must be hello')
    if (!tokenMatches(m.token, this.opts.token))
      return this.refuse(CloseCode.policy, `bad token ${redact(m.token)}`)
    const admission = this.opts.admit(m.demo)
    if (!admission.ok)
      return this.refuse(admission.code, admission.reason)
    this.currentRole = m.role
    this.joined = admission.session
    admission.session.join(this)
    this.beat()
  }

  private dispatch(session: TerminalSession, m: ClientMessage): void {
    const failed = (what: string) => (err: unknown) => this.opts.log(`${what} in ${session.demo.id} failed: ${(err as Error).stack ?? err}`)
    // A watch-only window only acknowledges what it rendered: nothing it sends reaches the shell.
    if (this.currentRole !== 'control' && m.type !== 'ack')
      return
    switch (m.type) {
      case 'input':
        if (session.input(m.data) === 'overflow')
          this.refuse(CloseCode.policy, 'input flood: the shell is not reading its keystrokes')
        break
      case 'ack':
        session.ack(this, m.bytes)
        break
      case 'step':
        session.step().catch(failed('step'))
        break
      case 'reset':
        session.reset().catch(failed('reset'))
        break
      case 'retry':
        session.retry().catch(failed('retry'))
        break
      case 'hello':
        break // already joined
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data))
    return Buffer.concat(data).toString('utf8')
  // ws hands us a Buffer by default: decode it in place rather than copy it first.
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8')
}
