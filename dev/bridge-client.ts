/**
 * A real ws client of the terminal bridge, speaking as the deck's page does: hello, then output
 * acknowledged in the browser's batches (common/ack.ts), as if rendered on arrival.
 */
import type { ClientMessage, Role, ServerMessage } from '../common/protocol.ts'
import WebSocket from 'ws'
import { ackBatcher } from '../common/ack.ts'
import { BRIDGE_PATH, encode, parseServerMessage, PROTOCOL_VERSION } from '../common/protocol.ts'
import { within } from './wait.ts'

export interface TestClient {
  ws: WebSocket
  /** Everything received as bytes, decoded once at read time (like xterm would). */
  bytes: () => Buffer
  text: () => string
  messages: ServerMessage[]
  send: (m: ClientMessage) => void
  waitForText: (re: RegExp, ms?: number) => Promise<string>
  waitForMessage: (pred: (m: ServerMessage) => boolean, ms?: number) => Promise<ServerMessage>
  closed: Promise<{ code: number, reason: string }>
  /** The close the server should make: rejects if the socket is still open after `ms`. */
  closedWithin: (ms?: number) => Promise<{ code: number, reason: string }>
  close: () => Promise<void>
}

export interface ConnectOptions {
  origin?: string | null
  host?: string
  token?: string
  demo?: string
  role?: Role
  /** Send hello automatically (default true). */
  hello?: boolean
  /** Acknowledge output as the browser does (default true); false: the test sends its own acks. */
  ack?: boolean
  address?: string
}

/** Resolves with the HTTP status when the upgrade is refused. */
export function connect(port: number, o: ConnectOptions = {}): Promise<TestClient> {
  const headers: Record<string, string> = {}
  if (o.origin !== null)
    headers.Origin = o.origin ?? `http://localhost:${port}`
  headers.Host = o.host ?? `localhost:${port}`
  const ws = new WebSocket(`ws://${o.address ?? '127.0.0.1'}:${port}${BRIDGE_PATH}`, { headers, perMessageDeflate: false })
  const chunks: Buffer[] = []
  const messages: ServerMessage[] = []
  const waiters = new Set<() => void>()
  const notify = () => waiters.forEach(w => w())
  const acks = ackBatcher((bytes) => {
    if (ws.readyState === WebSocket.OPEN)
      ws.send(encode({ type: 'ack', bytes }))
  })
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      const b = data as Buffer
      chunks.push(b)
      if (o.ack !== false)
        acks.rendered(b.length)
    }
    else {
      const m = parseServerMessage(data.toString())
      if (m)
        messages.push(m)
    }
    notify()
  })
  const closed = new Promise<{ code: number, reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      acks.drop()
      resolve({ code, reason: reason.toString() })
      notify()
    })
  })
  const until = <T>(check: () => T | undefined, ms: number, what: string) => new Promise<T>((resolve, reject) => {
    const run = () => {
      const v = check()
      if (v !== undefined) {
        cleanup()
        resolve(v)
      }
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`timed out after ${ms}ms waiting for ${what}; got:\n${Buffer.concat(chunks).toString('utf8').slice(-600)}`))
    }, ms)
    const cleanup = () => {
      clearTimeout(timer)
      waiters.delete(run)
    }
    waiters.add(run)
    run()
  })
  const client: TestClient = {
    ws,
    bytes: () => Buffer.concat(chunks),
    text: () => Buffer.concat(chunks).toString('utf8'),
    messages,
    send: m => ws.send(encode(m)),
    waitForText: (re, ms = 10_000) => until(() => client.text().match(re)?.[0], ms, String(re)),
    waitForMessage: (pred, ms = 10_000) => until(() => messages.find(pred), ms, 'a message'),
    closed,
    closedWithin: (ms = 5000) => within(closed, ms, 'the server closing the socket'),
    close: async () => {
      ws.close()
      await closed
    },
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      if (o.hello !== false)
        client.send({ type: 'hello', v: PROTOCOL_VERSION, token: o.token ?? '', demo: o.demo ?? 'shell', role: o.role ?? 'control' })
      resolve(client)
    })
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })))
    ws.once('error', reject)
  })
}
