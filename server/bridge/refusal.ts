/**
 * How the deck's server says no, everywhere it does: one line in the server log naming the
 * request and the reason (the target as sent, whatever its spelling), and an answer that carries
 * the reason, also to an upgrade refused before any WebSocket exists.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { STATUS_CODES } from 'node:http'

export function refusalLine(req: IncomingMessage, reason: string): string {
  return `refused ${req.method} ${(req.url ?? '').split('?')[0]} from ${req.socket.remoteAddress} (Origin ${req.headers.origin ?? 'none'}, Host ${req.headers.host ?? 'none'}): ${reason}`
}

export function refuseRequest(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(reason)
}

/** A raw HTTP answer on the socket of an upgrade, then the end of it. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${reason}`)
}
