/**
 * A bridge with follow mode on `host` (the follow listener beside a standalone bridge, as the
 * deck runs them), or with LT_BRIDGE=naive the naive bridge reached through a listener that
 * hands it everything (tests/naive/follow.ts): what the follow security tests must catch.
 */
import type { Bridge } from '../../server/bridge.ts'
import type { FollowServer } from '../../server/follow/index.ts'
import type { TestBridge } from './security.ts'
import { fileURLToPath } from 'node:url'
import { startFollow } from '../../server/follow/index.ts'
import { startNaiveFollow } from '../naive/follow.ts'
import { startBridge } from './security.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const NAIVE = process.env.LT_BRIDGE === 'naive'
/** The deck's slide 3 runs the `shell` demo (slides.md). */
export const SHELL_SLIDE = 3

export interface FollowUnderTest {
  bridge: TestBridge
  port: number
  code: string
  /** The follow URL's base: http://host:port/follow/<code> */
  base: string
  follow: FollowServer | undefined
  setSlide: (page: number) => void
  close: () => Promise<void>
}

export async function startFollowUnderTest(host: string, o: { maxFollowers?: number, sendBufferBytes?: number, heartbeatMs?: number, deadMs?: number } = {}): Promise<FollowUnderTest> {
  const bridge = await startBridge()
  if (NAIVE) {
    const proxy = await startNaiveFollow(bridge.port, host)
    const code = 'naive0000000000'
    return { bridge, port: proxy.port, code, base: `http://${host}:${proxy.port}/follow/${code}`, follow: undefined, setSlide: () => {}, close: async () => {
      await proxy.close()
      await bridge.close()
    } }
  }
  const code = Math.random().toString(16).slice(2, 18).padEnd(16, '0')
  const follow = await startFollow({
    bridge: bridge.server.bridge as Bridge, // the standalone server's own Bridge
    root: ROOT,
    settings: { host, port: 0, maxFollowers: o.maxFollowers ?? 500, code },
    log: line => bridge.logs.push(`[follow] ${line}`),
    sendBufferBytes: o.sendBufferBytes,
    heartbeatMs: o.heartbeatMs ?? 500,
    deadMs: o.deadMs,
  })
  return { bridge, port: follow.port, code, base: `http://${host}:${follow.port}/follow/${code}`, follow, setSlide: page => follow.hub.setSlide(page, 0), close: async () => {
    await follow.close()
    await bridge.close()
  } }
}
