/**
 * The follow listener: an http server of its own, on the address follow mode binds (every
 * interface by default), that serves the follow page and its socket and nothing else. It is not
 * the deck's server: Vite, its HMR socket, `/@fs`, Slidev's write endpoints, the terminal token
 * and the bridge are not behind it at all. A Host not on the deck's allow-list for the address the
 * request arrived on (bridge/guard.ts: DNS rebinding) is refused first, with its reason in the
 * server log (bridge/refusal.ts). Anything but `/follow/<code>` (and its few files) gets `404`
 * with an empty body, a wrong code included.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { FollowSlide } from '../../common/follow-protocol.ts'
import type { FollowAssets } from './assets.ts'
import type { FollowHub } from './hub.ts'
import type { FollowRecording } from './recordings.ts'
import { timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { FOLLOW_PREFIX } from '../../common/follow-protocol.ts'
import { checkHostHeader } from '../bridge/guard.ts'
import { refusalLine, refuseRequest, refuseUpgrade } from '../bridge/refusal.ts'
import { requestPath } from '../bridge/request-path.ts'
import { fullPage, followPage } from './page.ts'

export interface ListenerOptions {
  code: string
  host: string
  port: number
  hub: FollowHub
  assets: FollowAssets
  slides: () => FollowSlide[]
  /** A demo's recording (its final screen), by demo id. */
  recording: (demo: string) => FollowRecording | undefined
  log: (line: string) => void
}

export interface FollowListener { port: number, close: () => Promise<void> }

const HEADERS = {
  // style-src 'unsafe-inline': xterm.js sizes and colours its DOM rows with <style> elements it
  // writes itself (no nonce); without them the terminal draws in the page's font, Hangul off its
  // cells. Scripts stay 'self' only, and the page's only markup is the server's escaped text.
  'content-security-policy': 'default-src \'none\'; script-src \'self\'; style-src \'self\' \'unsafe-inline\'; connect-src \'self\'; img-src \'self\' data:; font-src \'self\'; frame-ancestors \'none\'; base-uri \'none\'; form-action \'none\'',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer', // the code is in the path: never sent on to anyone
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
}

/** Which follow resource a path names under the right code: '' (the page), a file, or undefined. */
export function followResource(url: string | undefined, code: string): string | undefined {
  const target = requestPath(url)
  if (!target.ok || !target.path.startsWith(FOLLOW_PREFIX))
    return undefined
  const [given = '', ...rest] = target.path.slice(FOLLOW_PREFIX.length).split('/')
  const a = Buffer.from(given)
  const b = Buffer.from(code.toLowerCase()) // the path rule lowercases
  if (a.length !== b.length || !timingSafeEqual(a, b) || rest.length > 1)
    return undefined
  return rest[0] ?? ''
}

export async function startFollowListener(o: ListenerOptions): Promise<FollowListener> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false })
  const notFound = (res: ServerResponse) => res.writeHead(404, { 'content-length': '0' }).end()
  /** The Host rule before anything else: a refusal is logged, and answered with its reason only. */
  const hostRefused = (req: IncomingMessage): { status: number, reason: string } | undefined => {
    const host = checkHostHeader(req)
    if (host.ok)
      return undefined
    o.log(refusalLine(req, `follow listener: ${host.reason}`))
    return host
  }
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const refused = hostRefused(req)
    if (refused)
      return refuseRequest(res, refused.status, refused.reason)
    const what = followResource(req.url, o.code)
    if (what === undefined || (req.method !== 'GET' && req.method !== 'HEAD'))
      return notFound(res)
    const send = (type: string, body: string, status = 200) => res.writeHead(status, { ...HEADERS, 'content-type': type }).end(body)
    switch (what) {
      case '':
        return o.hub.full ? send('text/html; charset=utf-8', fullPage(), 503) : send('text/html; charset=utf-8', followPage(`${FOLLOW_PREFIX}${o.code}`))
      case 'app.js':
        return send('text/javascript; charset=utf-8', o.assets.script)
      case 'app.css':
        return send('text/css; charset=utf-8', o.assets.styles)
      case 'slides.json':
        return send('application/json', JSON.stringify(o.slides()))
      default: {
        const font = o.assets.fonts.get(what)
        if (font) {
          return void readFile(font).then(
            body => res.writeHead(200, { ...HEADERS, 'content-type': what.endsWith('.woff2') ? 'font/woff2' : 'font/woff', 'cache-control': 'private, max-age=86400' }).end(body),
            () => notFound(res),
          )
        }
        const rec = /^rec-([a-z0-9-]+)\.json$/.exec(what)
        const recording = rec ? o.recording(rec[1]!) : undefined
        return recording ? send('application/json', JSON.stringify(recording)) : notFound(res)
      }
    }
  })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refused = hostRefused(req)
    if (refused)
      return refuseUpgrade(socket, refused.status, refused.reason)
    if (followResource(req.url, o.code) !== 'live') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (o.hub.full) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, ws => o.hub.add(ws))
  })
  server.on('clientError', (_err, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port, o.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const ws of wss.clients)
        ws.terminate()
      server.closeAllConnections()
      await new Promise(r => server.close(r))
    },
  }
}
