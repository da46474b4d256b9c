/**
 * Requests with exactly the headers an attacker chooses (fetch forbids Host and friends): plain
 * HTTP with a body, and WebSocket upgrades that report the HTTP status instead of throwing.
 * Also run inside a network namespace by `tests/helpers/peer-probe.ts`.
 */
import http from 'node:http'
import WebSocket from 'ws'

export interface Probe {
  /** 'GET', 'POST', ... or 'WS' for an upgrade. */
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
  /** Sec-WebSocket-Protocol for an upgrade (Vite's HMR wants 'vite-hmr'). */
  protocol?: string
}

export interface ProbeResult { status: number, body: string, headers: http.IncomingHttpHeaders }

export function send(address: string, port: number, p: Probe): Promise<ProbeResult> {
  if (p.method === 'WS')
    return upgrade(address, port, p)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: address, port, path: p.path, method: p.method, headers: p.headers, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('timeout', () => req.destroy(new Error(`${p.method} ${p.path}: no answer within 10 s`)))
    req.on('error', reject)
    req.end(p.body)
  })
}

/** 101 when the server accepted the upgrade (the socket is then closed), else its HTTP status. */
function upgrade(address: string, port: number, p: Probe): Promise<ProbeResult> {
  const { origin, ...headers } = p.headers ?? {}
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${address}:${port}${p.path}`, p.protocol ? [p.protocol] : [], { origin, headers, handshakeTimeout: 10_000 })
    ws.on('open', () => {
      ws.terminate()
      resolve({ status: 101, body: '', headers: {} })
    })
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    ws.on('error', (err) => {
      // A server that ends the TCP connection with a status line but no proper response.
      reject(err)
    })
  })
}

/** A plain request on loopback (or `address`) with exactly the headers given. */
export function request(port: number, urlPath: string, headers: Record<string, string>, o: { method?: string, address?: string } = {}): Promise<ProbeResult> {
  return send(o.address ?? '127.0.0.1', port, { method: o.method ?? 'GET', path: urlPath, headers })
}
