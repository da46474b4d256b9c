/**
 * The browser side of the bridge: fetches the token same-origin, joins the demo's session,
 * acknowledges rendered output (flow control), says when the server goes silent, and
 * reconnects when the server comes back.
 */
import type { ClientMessage, Role, ServerMessage } from '../common/protocol.ts'
import { ackBatcher } from '../common/ack.ts'
import { BRIDGE_PATH, CloseCode, encode, parseServerMessage, PROTOCOL_VERSION, TOKEN_PATH } from '../common/protocol.ts'
import { watchSilence } from './silence.ts'

/** `silent`: joined, but the server has said nothing for two heartbeats (client/silence.ts). */
export type LinkStatus = 'connecting' | 'live' | 'silent' | 'refused' | 'offline'
/** Why the link is down, as a code (client/labels.ts words it). */
export type LinkProblem = 'no-server' | 'refused' | 'lost' | 'silent'

export interface ConnectionHandlers {
  /** Output bytes; call `rendered` once the terminal has processed them. */
  output: (bytes: Uint8Array, rendered: () => void) => void
  message: (m: ServerMessage) => void
  status: (s: LinkStatus, problem?: LinkProblem, serverReason?: string) => void
}

export interface Connection {
  send: (m: ClientMessage) => void
  close: () => void
}

const RETRY_MS = [500, 1000, 2000, 4000]

/** The token, or why this server has live terminals off on purpose (503: `--remote`). */
async function fetchToken(): Promise<{ token?: string, off?: string }> {
  try {
    const res = await fetch(TOKEN_PATH, { cache: 'no-store', credentials: 'same-origin' })
    if (res.status === 503)
      return { off: await res.text() }
    if (!res.ok)
      return {}
    return { token: ((await res.json()) as { token?: string }).token }
  }
  catch {
    return {}
  }
}

export function openConnection(demo: string, role: Role, on: ConnectionHandlers): Connection {
  let ws: WebSocket | undefined
  let closed = false
  let attempt = 0
  let retry: ReturnType<typeof setTimeout> | undefined
  let lastToken: string | undefined
  const acks = ackBatcher((bytes) => {
    if (ws?.readyState === WebSocket.OPEN)
      ws.send(encode({ type: 'ack', bytes }))
  })

  const schedule = (ms: number) => {
    if (!closed)
      retry = setTimeout(() => void connect(), ms)
  }

  async function connect() {
    on.status('connecting')
    const { token, off } = await fetchToken()
    if (closed)
      return
    if (off) {
      // Not a failure to retry: told the same way as a demo this machine can't run, so the
      // slide shows the recording.
      on.message({ type: 'state', phase: 'failed', nextStep: 0, typing: false, busy: false, radar: [], detail: off, unmet: ['라이브 터미널'] })
      return
    }
    if (!token) {
      on.status('offline', 'no-server')
      return schedule(RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!)
    }
    const refusedBefore = lastToken !== undefined && lastToken === token
    lastToken = token
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`
    const socket = new WebSocket(url)
    ws = socket
    socket.binaryType = 'arraybuffer'
    const current = (report: () => void) => () => {
      if (ws === socket && !closed)
        report()
    }
    const silence = watchSilence({ silent: current(() => on.status('silent', 'silent')), back: current(() => on.status('live')) })
    socket.onopen = () => {
      socket.send(encode({ type: 'hello', v: PROTOCOL_VERSION, token, demo, role }))
    }
    socket.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      if (typeof ev.data === 'string') {
        const m = parseServerMessage(ev.data)
        silence.heard(m?.type === 'beat' ? m.intervalMs : undefined)
        if (m?.type === 'ready') {
          attempt = 0
          on.status('live')
        }
        if (m)
          on.message(m)
        return
      }
      silence.heard()
      const bytes = new Uint8Array(ev.data)
      on.output(bytes, () => acks.rendered(bytes.length))
    }
    socket.onclose = (ev) => {
      silence.stop()
      if (ws !== socket || closed)
        return
      ws = undefined
      acks.drop()
      if (ev.code === CloseCode.policy) {
        on.status('refused', 'refused', ev.reason)
        // A restarted server has a new token: try once more with it, never in a loop.
        if (!refusedBefore)
          schedule(500)
        return
      }
      on.status(ev.code === CloseCode.tryLater ? 'refused' : 'offline', 'lost', ev.reason)
      schedule(RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!)
    }
  }

  void connect()
  return {
    send(m) {
      if (ws?.readyState === WebSocket.OPEN)
        ws.send(encode(m))
    },
    close() {
      closed = true
      clearTimeout(retry)
      acks.drop()
      ws?.close(CloseCode.normal)
      ws = undefined
    },
  }
}
