/**
 * Follow mode working, from another machine (a network namespace): a follower gets the slide
 * position as the presenter moves (next, previous), on the demo slide the demo's screen and
 * what the presenter types with its output, the copy list of the steps typed so far; the
 * follower limit answers "full"; a follower that stops reading is dropped without holding the
 * presenter back.
 */
import type { FollowMessage } from '../../common/follow-protocol.ts'
import type { FollowerResult } from '../helpers/follow-server.ts'
import net from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import { sleep } from '../../dev/wait.ts'
import { SHELL_SLIDE, followScene } from '../helpers/follow-server.ts'
import { peerUnavailable } from '../helpers/netns.ts'

vi.setConfig({ testTimeout: 90_000 })

const unavailable = peerUnavailable()
const scene = followScene({ maxFollowers: 3 })

const follower = async (waitMs: number) => (await scene.followers([[]], waitMs))[0]!
const messages = (r: FollowerResult) => r.texts.map(t => JSON.parse(t) as FollowMessage)

describe.skipIf(unavailable)(`following from another machine (${unavailable ?? 'network namespace'})`, () => {
  it('follows the presenter\'s next and previous slide', async () => {
    scene.server.setSlide(1)
    const pending = follower(3000)
    await sleep(1500) // node starting in the namespace
    scene.server.setSlide(2)
    await sleep(200)
    scene.server.setSlide(1)
    await sleep(200)
    scene.server.setSlide(2)
    const r = await pending
    const pages = messages(r).filter(m => m.type === 'slide').map(m => (m as { page: number }).page)
    expect(pages).toEqual([1, 2, 1, 2])
  })

  it('on the demo slide sees the presenter\'s typed command, its output, and the copy list', async () => {
    scene.server.setSlide(SHELL_SLIDE)
    const pending = follower(6000)
    await sleep(1500)
    scene.presenter.send({ type: 'step' })
    await scene.presenter.waitForText(/안녕하세요, 쿠버네티스 기초입니다\r\n/, 15_000)
    scene.presenter.send({ type: 'input', data: 'echo follow-$((6*7))\r' })
    await scene.presenter.waitForText(/follow-42/, 10_000)
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
    const url = `ws://${scene.peer.hostAddress}:${scene.server.port}/follow/${scene.server.code}/live`
    // Four at once, against a limit of 3: run them in parallel in one namespace process each.
    const runs = await Promise.all([0, 1, 2, 3].map(() => scene.peer.node('tests/helpers/follow-peer.ts', [url, JSON.stringify([[]]), '4000'])))
    const results = runs.map(o => (JSON.parse(o) as FollowerResult[])[0]!)
    expect(results.filter(r => r.opened).length).toBe(3)
    expect(results.filter(r => !r.opened).map(r => r.status)).toEqual([503])
  })

  it('a follower that stops reading is dropped and never slows the presenter', async () => {
    // A raw TCP follower that completes the upgrade and then never reads.
    const socket = net.connect(scene.server.port, scene.peer.hostAddress)
    socket.write(`GET /follow/${scene.server.code}/live HTTP/1.1\r\nHost: ${scene.peer.hostAddress}:${scene.server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    socket.pause()
    await sleep(500)
    const followers = scene.server.follow!.hub.info().followers
    scene.server.setSlide(SHELL_SLIDE)
    const t0 = performance.now()
    // ~15 MB: more than the kernel's socket buffers hold for a reader that stopped.
    scene.presenter.send({ type: 'input', data: 'seq 1 2000000; echo done-$((1+1))\r' })
    await expect.poll(() => scene.presenter.bytes().subarray(-300).toString('latin1'), { timeout: 60_000, interval: 250 }).toContain('done-2')
    const ms = performance.now() - t0
    expect(ms).toBeLessThan(40_000)
    expect(followers, 'the stuck follower had joined').toBe(1)
    await expect.poll(() => scene.server.follow!.hub.info().followers, { timeout: 10_000 }).toBe(0)
    expect(scene.server.bridge.logs.filter(l => l.includes('dropped a follower')).length).toBe(1)
    socket.destroy()
  })
})
