/**
 * Follow mode working, from another machine (a network namespace): a follower gets the slide
 * position as the presenter moves (next, previous), on the demo slide the demo's screen and
 * what the presenter types with its output, the copy list of the steps typed so far; the
 * follower limit answers "full"; a follower that stops reading is dropped without holding the
 * presenter back.
 */
import type { FollowMessage } from '../../common/follow-protocol.ts'
import type { FollowUnderTest } from '../helpers/follow-server.ts'
import type { Peer } from '../helpers/netns.ts'
import type { TestClient } from '../../dev/bridge-client.ts'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { SHELL_SLIDE, startFollowUnderTest } from '../helpers/follow-server.ts'
import { createPeer, peerUnavailable } from '../helpers/netns.ts'

vi.setConfig({ testTimeout: 90_000 })

const unavailable = peerUnavailable()
let peer: Peer
let server: FollowUnderTest
let presenter: TestClient

interface SocketResult { opened: boolean, closedBy: number | null, status?: number, texts: string[], bytes: number, output: string }
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

function follower(waitMs: number): Promise<SocketResult> {
  const url = `ws://${peer.hostAddress}:${server.port}/follow/${server.code}/live`
  return peer.node('tests/helpers/follow-peer.ts', [url, JSON.stringify([[]]), String(waitMs)]).then(out => (JSON.parse(out) as SocketResult[])[0]!)
}
const messages = (r: SocketResult) => r.texts.map(t => JSON.parse(t) as FollowMessage)

beforeAll(async () => {
  if (unavailable)
    return
  peer = createPeer()
  server = await startFollowUnderTest(peer.hostAddress, { maxFollowers: 3 })
  presenter = await server.bridge.join({ demo: 'shell', role: 'control' })
  await presenter.waitForMessage(m => m.type === 'state' && m.phase === 'running', 30_000)
}, 120_000)
afterAll(async () => {
  await presenter?.close()
  await server?.close()
  peer?.remove()
})

describe.skipIf(unavailable)(`following from another machine (${unavailable ?? 'network namespace'})`, () => {
  it('follows the presenter\'s next and previous slide', async () => {
    server.setSlide(1)
    const pending = follower(3000)
    await sleep(1500) // node starting in the namespace
    server.setSlide(2)
    await sleep(200)
    server.setSlide(1)
    await sleep(200)
    server.setSlide(2)
    const r = await pending
    const pages = messages(r).filter(m => m.type === 'slide').map(m => (m as { page: number }).page)
    expect(pages).toEqual([1, 2, 1, 2])
  })

  it('on the demo slide sees the presenter\'s typed command, its output, and the copy list', async () => {
    server.setSlide(SHELL_SLIDE)
    const pending = follower(6000)
    await sleep(1500)
    presenter.send({ type: 'step' })
    await presenter.waitForText(/안녕하세요, 쿠버네티스 기초입니다\r\n/, 15_000)
    presenter.send({ type: 'input', data: 'echo follow-$((6*7))\r' })
    await presenter.waitForText(/follow-42/, 10_000)
    const r = await pending
    const ms = messages(r)
    expect(ms.find(m => m.type === 'demo')).toMatchObject({ type: 'demo', demo: 'shell' })
    expect(r.output).toContain('echo "안녕하세요, 쿠버네티스 기초입니다"')
    expect(r.output.split('안녕하세요, 쿠버네티스 기초입니다').length - 1, 'typed, then printed').toBeGreaterThanOrEqual(2)
    expect(r.output).toContain('follow-42')
    const lists = ms.filter(m => m.type === 'commands').map(m => (m as { commands: string[] }).commands)
    expect(lists.at(-1)).toEqual(['echo "안녕하세요, 쿠버네티스 기초입니다"'])
  })

  it('a follower that joins late gets the screen so far (the scrollback)', async () => {
    const r = await follower(1500)
    expect(r.output).toContain('follow-42')
    expect(messages(r).find(m => m.type === 'commands')).toMatchObject({ commands: ['echo "안녕하세요, 쿠버네티스 기초입니다"'] })
  })

  it('past the follower limit, the page says "full" and the socket is refused', async () => {
    const url = `ws://${peer.hostAddress}:${server.port}/follow/${server.code}/live`
    // Four at once, against a limit of 3: run them in parallel in one namespace process each.
    const runs = await Promise.all([0, 1, 2, 3].map(() => peer.node('tests/helpers/follow-peer.ts', [url, JSON.stringify([[]]), '4000'])))
    const results = runs.map(o => (JSON.parse(o) as SocketResult[])[0]!)
    expect(results.filter(r => r.opened).length).toBe(3)
    expect(results.filter(r => !r.opened).map(r => r.status)).toEqual([503])
  })

  it('a follower that stops reading is dropped and never slows the presenter', async () => {
    // A raw TCP follower that completes the upgrade and then never reads.
    const socket = net.connect(server.port, peer.hostAddress)
    socket.write(`GET /follow/${server.code}/live HTTP/1.1\r\nHost: ${peer.hostAddress}:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    socket.pause()
    await sleep(500)
    const followers = server.follow!.hub.info().followers
    server.setSlide(SHELL_SLIDE)
    const t0 = performance.now()
    // ~15 MB: more than the kernel's socket buffers hold for a reader that stopped.
    presenter.send({ type: 'input', data: 'seq 1 2000000; echo done-$((1+1))\r' })
    await expect.poll(() => presenter.bytes().subarray(-300).toString('latin1'), { timeout: 60_000, interval: 250 }).toContain('done-2')
    const ms = performance.now() - t0
    expect(ms).toBeLessThan(40_000)
    expect(followers, 'the stuck follower had joined').toBe(1)
    await expect.poll(() => server.follow!.hub.info().followers, { timeout: 10_000 }).toBe(0)
    expect(server.bridge.logs.filter(l => l.includes('dropped a follower')).length).toBe(1)
    socket.destroy()
  })
})
