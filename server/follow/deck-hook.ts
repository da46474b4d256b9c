/**
 * Follow mode on the deck's dev server (called by vite-plugin.ts): starts the follow listener
 * when LT_FOLLOW=1, feeds it the shared slide position, prints its address with a QR code, and
 * answers FOLLOW_INFO_PATH for the presenter's own page (loopback and same-origin only, as the
 * terminal token) so the presenter view can show the address and QR code while follow is on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ViteDevServer } from 'vite'
import type { Bridge } from '../bridge/bridge.ts'
import type { FollowServer } from './index.ts'
import { renderUnicodeCompact } from 'uqr'
import { FOLLOW_INFO_PATH } from '../../common/follow-protocol.ts'
import { checkLoopback, checkTokenRequest } from '../bridge/guard.ts'
import { requestPath } from '../bridge/request-path.ts'
import { DECK_PORT } from './flags.ts'
import { startFollow } from './index.ts'
import { watchNav } from './nav.ts'
import { followSettings } from './options.ts'

export function mountFollow(server: ViteDevServer, bridge: Bridge, log: (line: string) => void): { close: () => Promise<void> } {
  const settings = followSettings(server.config.server.port ?? DECK_PORT)
  let follow: FollowServer | undefined
  server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const target = requestPath(req.url)
    if (!target.ok || target.path !== FOLLOW_INFO_PATH)
      return next()
    const v = checkLoopback(req).ok ? checkTokenRequest(req) : checkLoopback(req)
    if (!v.ok || req.method !== 'GET') {
      log(`refused follow info request from ${req.socket.remoteAddress}: ${v.ok ? `method ${req.method}` : v.reason}`)
      return res.writeHead(v.ok ? 405 : v.status, { 'content-type': 'text/plain' }).end()
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(follow?.info() ?? { on: false }))
  })
  if (!settings)
    return { close: async () => {} }
  let page = 1
  let clicks = 0
  watchNav(server, (p, c) => {
    page = p
    clicks = c
    follow?.hub.setSlide(p, c)
  })
  const started = startFollow({ bridge, root: server.config.root, settings, log }).then((f) => {
    follow = f
    f.hub.setSlide(page, clicks)
    console.log(`\n  follow along (read-only, ${settings.maxFollowers} devices at most):\n${f.urls.map(u => `    ${u}`).join('\n')}\n`)
    console.log(renderUnicodeCompact(f.urls[0]!, { border: 1 }))
    server.watcher.on('change', (file) => {
      if (file.endsWith('.md'))
        void f.reloadSlides().catch(err => log(`follow: slides not reloaded: ${(err as Error).message}`))
    })
    return f
  }).catch((err: Error) => {
    log(`follow mode could not start: ${err.message}`)
    return undefined
  })
  return { close: async () => (await started)?.close() }
}
