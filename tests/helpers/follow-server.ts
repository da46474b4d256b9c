/**
 * A bridge with follow mode on `host` (the follow listener beside a standalone bridge, as the
 * deck runs them), or follow mode without its own code path (tests/naive/follow.ts: a listener
 * on the follow address that hands every request and socket to the ordinary bridge), which the
 * follow security tests must catch:
 * - LT_BRIDGE=naive: handed to the naive bridge (tests/naive/bridge.ts);
 * - LT_FOLLOW_VARIANT=ordinary: handed to the project's own bridge, with all of its defences.
 */
import type { Bridge } from '../../server/bridge/bridge.ts'
import type { FollowServer } from '../../server/follow/index.ts'
import type { TestClient } from '../../dev/bridge-client.ts'
import type { TestBridge } from './bridge-under-test.ts'
import type { Peer } from './netns.ts'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { startFollow } from '../../server/follow/index.ts'
import { startPassThrough } from '../naive/follow.ts'
import { afterAll, beforeAll } from 'vitest'
import { startBridge } from './bridge-under-test.ts'
import { createPeer, peerUnavailable } from './netns.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const WITHOUT_FOLLOW_PATH = process.env.LT_BRIDGE === 'naive' || process.env.LT_FOLLOW_VARIANT === 'ordinary'
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
  const code = randomBytes(8).toString('hex')
  if (WITHOUT_FOLLOW_PATH) {
    const proxy = await startPassThrough(bridge.port, host)
    return { bridge, port: proxy.port, code, base: `http://${host}:${proxy.port}/follow/${code}`, follow: undefined, setSlide: () => {}, close: async () => {
      await proxy.close()
      await bridge.close()
    } }
  }
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

/** What tests/helpers/follow-peer.ts reports for each follower socket it opened. */
export interface FollowerResult { opened: boolean, closedBy: number | null, status?: number, texts: string[], bytes: number, output: string }
/** A frame a follower sends: text, base64 bytes, or an input message of `bigInput` characters. */
export interface FollowerFrame { text?: string, binary?: string, bigInput?: number }

/** The follow tests' scene: a LAN peer, the server under test on its link, the presenter's shell running. */
export interface FollowScene {
  peer: Peer
  server: FollowUnderTest
  presenter: TestClient
  /** Followers on the peer, one socket per plan entry (its frames sent), each watched for `waitMs`. */
  followers: (plan: FollowerFrame[][], waitMs?: number, url?: string) => Promise<FollowerResult[]>
  close: () => Promise<void>
}

export async function startFollowScene(o: Parameters<typeof startFollowUnderTest>[1] = {}): Promise<FollowScene> {
  const peer = createPeer()
  const server = await startFollowUnderTest(peer.hostAddress, o)
  const presenter = await server.bridge.join({ demo: 'shell', role: 'control' })
  await presenter.waitForMessage(m => m.type === 'state' && m.phase === 'running', 30_000)
  return {
    peer,
    server,
    presenter,
    followers: async (plan, waitMs = 2000, url = `ws://${peer.hostAddress}:${server.port}/follow/${server.code}/live`) =>
      JSON.parse(await peer.node('tests/helpers/follow-peer.ts', [url, JSON.stringify(plan), String(waitMs)])) as FollowerResult[],
    close: async () => {
      await presenter.close()
      await server.close()
      peer.remove()
    },
  }
}

/**
 * A test file's scene: made in its beforeAll (unless no peer can be made here: `peerUnavailable`),
 * closed in its afterAll; its fields are there once the file's own beforeAll hooks run.
 */
export function followScene(o: Parameters<typeof startFollowUnderTest>[1] = {}): FollowScene {
  const scene = {} as FollowScene
  beforeAll(async () => {
    if (!peerUnavailable())
      Object.assign(scene, await startFollowScene(o))
  }, 120_000)
  afterAll(async () => scene.close?.())
  return scene
}
