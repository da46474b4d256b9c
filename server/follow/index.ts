/**
 * Follow mode, put together: the slides index, the page's assets, the hub tapping the bridge's
 * sessions, and the follow listener. Mounted by the deck's plugin (vite-plugin.ts) with the
 * slide position from Slidev's shared state (nav.ts); tests and the bench start it beside a
 * standalone bridge and move the slide themselves.
 */
import type { FollowInfo, FollowSlide } from '../../common/follow-protocol.ts'
import type { Bridge } from '../bridge/bridge.ts'
import type { FollowSettings } from './options.ts'
import { buildFollowAssets, qrSvg } from './assets.ts'
import { FollowHub } from './hub.ts'
import { startFollowListener } from './listener.ts'
import { followUrls } from './options.ts'
import { loadRecordings } from './recordings.ts'
import { loadFollowSlides } from './slides.ts'

export interface FollowOptions {
  bridge: Pick<Bridge, 'observeSessions'>
  root: string
  settings: FollowSettings
  log: (line: string) => void
  sendBufferBytes?: number
  heartbeatMs?: number
  deadMs?: number
}

export interface FollowServer {
  port: number
  code: string
  urls: string[]
  hub: FollowHub
  /** What the presenter's page is told (the URL and its QR code). */
  info: () => FollowInfo
  /** Reloads the slides (the deck's Markdown changed). */
  reloadSlides: () => Promise<void>
  close: () => Promise<void>
}

export async function startFollow(o: FollowOptions): Promise<FollowServer> {
  let slides: FollowSlide[] = await loadFollowSlides(o.root)
  let recordings = loadRecordings(o.root, slides.map(s => s.demo))
  const hub = new FollowHub({
    maxFollowers: o.settings.maxFollowers,
    sendBufferBytes: o.sendBufferBytes ?? 256 * 1024,
    heartbeatMs: o.heartbeatMs ?? 2_000,
    deadMs: o.deadMs ?? 30_000,
    demoOfSlide: page => slides[page - 1]?.demo,
    log: o.log,
  })
  const unobserve = o.bridge.observeSessions(s => hub.attach(s))
  const assets = await buildFollowAssets(o.root)
  const listen = (port: number) => startFollowListener({ code: o.settings.code, host: o.settings.host, port, hub, assets, slides: () => slides, recording: id => recordings.get(id), log: o.log })
  const listener = await listen(o.settings.port).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE' || o.settings.port === 0)
      throw err
    o.log(`follow: port ${o.settings.port} is in use, a free one is used instead`)
    return listen(0)
  })
  const urls = followUrls(o.settings.host, listener.port, o.settings.code)
  const qr = qrSvg(urls[0]!)
  return {
    port: listener.port,
    code: o.settings.code,
    urls,
    hub,
    info: () => ({ on: true, urls, qr }),
    reloadSlides: async () => {
      slides = await loadFollowSlides(o.root)
      recordings = loadRecordings(o.root, slides.map(s => s.demo))
    },
    close: async () => {
      unobserve()
      hub.close()
      await listener.close()
    },
  }
}
