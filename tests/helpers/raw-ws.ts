/**
 * A WebSocket peer written by hand on a raw TCP socket: for what a well-behaved client library
 * will not do (never answer pings, stop reading, declare absurd frame lengths).
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { BRIDGE_PATH } from '../../common/protocol.ts'

export interface RawUpgradeOptions {
  host?: string
  origin?: string | null
  path?: string
  address?: string
}

export interface RawPeer {
  socket: net.Socket
  /** HTTP status line code of the response. */
  status: number
  /** Whatever came after the response headers (server frames), accumulated. */
  received: () => Buffer
  /** Resolves when the server closes the TCP connection. */
  ended: Promise<void>
}

/** Does the upgrade by hand; resolves once the response headers are in. */
export function rawUpgrade(port: number, o: RawUpgradeOptions = {}): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: o.address ?? '127.0.0.1', port })
    let buf = Buffer.alloc(0)
    let status = 0
    let after: Buffer[] = []
    let resolveEnded!: () => void
    const ended = new Promise<void>((r) => {
      resolveEnded = r
    })
    socket.on('close', () => resolveEnded())
    socket.on('error', (err) => {
      if (status === 0)
        reject(err)
    })
    socket.on('data', (chunk: Buffer) => {
      if (status !== 0) {
        after.push(chunk)
        return
      }
      buf = Buffer.concat([buf, chunk])
      const end = buf.indexOf('\r\n\r\n')
      if (end < 0)
        return
      status = Number(buf.subarray(0, end).toString('latin1').split(' ')[1])
      after = [buf.subarray(end + 4)]
      resolve({ socket, status, received: () => Buffer.concat(after), ended })
    })
    socket.on('connect', () => {
      const lines = [
        `GET ${o.path ?? BRIDGE_PATH} HTTP/1.1`,
        `Host: ${o.host ?? `localhost:${port}`}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
      ]
      if (o.origin !== null)
        lines.push(`Origin: ${o.origin ?? `http://localhost:${port}`}`)
      socket.write(`${lines.join('\r\n')}\r\n\r\n`)
    })
  })
}

export const Opcode = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const

/** One masked client frame. `declaredLength` lies about the payload length when given. */
export function frame(opcode: number, payload: Buffer | string, o: { fin?: boolean, declaredLength?: number } = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload
  const len = o.declaredLength ?? data.length
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | opcode]
  let ext = Buffer.alloc(0)
  if (len < 126) {
    head.push(0x80 | len)
  }
  else if (len < 65536) {
    head.push(0x80 | 126)
    ext = Buffer.alloc(2)
    ext.writeUInt16BE(len)
  }
  else {
    head.push(0x80 | 127)
    ext = Buffer.alloc(8)
    ext.writeBigUInt64BE(BigInt(len))
  }
  const mask = randomBytes(4)
  const masked = Buffer.from(data)
  for (let i = 0; i < masked.length; i++)
    masked[i]! ^= mask[i % 4]!
  return Buffer.concat([Buffer.from(head), ext, mask, masked])
}

export interface ServerFrame { opcode: number, payload: Buffer }

/** Splits what the server sent into frames (server frames are never masked). */
export function parseFrames(buf: Buffer): ServerFrame[] {
  const out: ServerFrame[] = []
  let i = 0
  while (i + 2 <= buf.length) {
    const opcode = buf[i]! & 0x0F
    let len = buf[i + 1]! & 0x7F
    let p = i + 2
    if (len === 126) {
      if (p + 2 > buf.length)
        break
      len = buf.readUInt16BE(p)
      p += 2
    }
    else if (len === 127) {
      if (p + 8 > buf.length)
        break
      len = Number(buf.readBigUInt64BE(p))
      p += 8
    }
    if (p + len > buf.length)
      break
    out.push({ opcode, payload: buf.subarray(p, p + len) })
    i = p + len
  }
  return out
}

/** The close code the server sent, if it sent a close frame. */
export function closeCodeOf(buf: Buffer): number | undefined {
  const close = parseFrames(buf).find(f => f.opcode === Opcode.close)
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined
}
