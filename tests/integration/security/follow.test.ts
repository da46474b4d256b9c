/**
 * Follow mode from another machine (a private network namespace on a veth link): a follower may
 * receive the slide position and a demo's output, nothing else. Its frames never reach the pty
 * (every socket that sends is closed), it gets no token, writes nothing, opens no HMR socket,
 * reads no file, a Host other than the follow address gets nothing (DNS rebinding), and a wrong
 * code gets 404 with an empty body. Against the naive bridge and against the project's own bridge
 * behind a pass-through follow listener (tests/naive/follow.ts, LT_BRIDGE=naive and
 * LT_FOLLOW_VARIANT=ordinary in `npm run test:naive`), each of these fails.
 */
import type { FollowerFrame } from '../../helpers/follow-server.ts'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BRIDGE_PATH, TOKEN_PATH } from '../../../common/protocol.ts'
import { SHELL_SLIDE, followScene } from '../../helpers/follow-server.ts'
import { peerUnavailable } from '../../helpers/netns.ts'

vi.setConfig({ testTimeout: 90_000 })

const unavailable = peerUnavailable()
const scene = followScene()
const tmp = mkdtempSync(path.join(os.tmpdir(), 'follow-sec-'))
const mark = (n: string) => path.join(tmp, n)

const follower = (plan: FollowerFrame[][], url?: string, waitMs?: number) => scene.followers(plan, waitMs, url)

beforeAll(() => {
  if (!unavailable)
    scene.server.setSlide(SHELL_SLIDE)
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe.skipIf(unavailable)(`a follower on another machine (${unavailable ?? 'network namespace'})`, () => {
  it('control: the right code loads the follow page and its socket sends the slide', async () => {
    const [page] = await scene.peer.probe(scene.peer.hostAddress, scene.server.port, [{ method: 'GET', path: `/follow/${scene.server.code}` }])
    expect(page!.status).toBe(200)
    const [socket] = await follower([[]], undefined, 1000)
    expect(socket!.opened).toBe(true)
  })

  it('never reaches the pty with its frames (input, step, reset, hello with any role, oversize, garbage): each socket is closed', async () => {
    const token = scene.server.bridge.token
    const hello = (role: string, t = token) => ({ text: JSON.stringify({ type: 'hello', v: 1, token: t, demo: 'shell', role }) })
    const input = (n: string) => ({ text: JSON.stringify({ type: 'input', data: `touch ${mark(n)}\r` }) })
    const before = scene.server.bridge.server.bridge.sessionInfo()
    const results = await follower([
      [input('plain')],
      [hello('control'), input('control')],
      [hello('watch'), input('watch')],
      [hello('control', 'guess'), input('guessed')],
      [hello('control'), { text: JSON.stringify({ type: 'step' }) }],
      [hello('control'), { text: JSON.stringify({ type: 'reset' }) }],
      [hello('control'), { bigInput: 200_000 }, input('after-oversize')],
      [{ binary: Buffer.from([0xFF, 0x00, 0x13, 0x37]).toString('base64') }, input('after-garbage')],
      [{ text: '{"type":' }, input('after-bad-json')],
    ])
    await new Promise(r => setTimeout(r, 1000))
    for (const n of ['plain', 'control', 'watch', 'guessed', 'after-oversize', 'after-garbage', 'after-bad-json'])
      expect(existsSync(mark(n)), `no shell ran "touch ${n}"`).toBe(false)
    expect(results.map(r => r.opened), 'each socket opened').toEqual(results.map(() => true))
    expect(results.map(r => r.closedBy !== null), 'the server closed every socket that sent').toEqual(results.map(() => true))
    // The presenter's shell is the same one, not reset, no step typed; no other session started.
    const after = scene.server.bridge.server.bridge.sessionInfo()
    expect(after.map(s => [s.demo, s.pid])).toEqual(before.map(s => [s.demo, s.pid]))
    expect(scene.presenter.messages.filter(m => m.type === 'reset' || (m.type === 'state' && m.nextStep > 0))).toEqual([])
  })

  it('gets no token and cannot open the bridge, in any path', async () => {
    const c = scene.server.code
    const results = await scene.peer.probe(scene.peer.hostAddress, scene.server.port, [
      { method: 'GET', path: TOKEN_PATH },
      { method: 'GET', path: `/follow/${c}/..${TOKEN_PATH}` },
      { method: 'GET', path: `/follow/${c}/token` },
      { method: 'WS', path: BRIDGE_PATH },
      { method: 'WS', path: `/follow/${c}/..${BRIDGE_PATH}` },
    ])
    for (const r of results) {
      expect(r.body).not.toContain(scene.server.bridge.token)
      expect(r.body).not.toMatch(/"token"/)
    }
    expect(results.map(r => r.status)).toEqual([404, 404, 404, 404, 404])
  })

  it('cannot write a slide or a note, or move the presenter\'s slide', async () => {
    const json = (p: string, body: unknown) => ({ method: 'POST', path: p, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
    const results = await scene.peer.probe(scene.peer.hostAddress, scene.server.port, [
      json('/__slidev/slides/2.json', { note: 'pwned from the LAN' }),
      json('/@server-ref/nav', { data: { page: 7, clicks: 0 } }),
      json(`/follow/${scene.server.code}`, { page: 7 }),
      json(`/follow/${scene.server.code}/slides.json`, [{ no: 1, title: 'pwned' }]),
    ])
    expect(results.map(r => [r.status, r.body])).toEqual(results.map(() => [404, '']))
    const [socket] = await follower([[]], undefined, 800)
    expect(socket!.texts.map(t => JSON.parse(t) as { type: string, page?: number }).find(m => m.type === 'slide')?.page).toBe(SHELL_SLIDE)
  })

  it('cannot open Vite\'s HMR socket, read files by absolute path (/@fs) or a file through the recordings', async () => {
    const results = await scene.peer.probe(scene.peer.hostAddress, scene.server.port, [
      { method: 'WS', path: '/?token=x', protocol: 'vite-hmr' },
      { method: 'WS', path: `/follow/${scene.server.code}/../../?token=x`, protocol: 'vite-hmr' },
      { method: 'GET', path: '/@fs/etc/passwd' },
      { method: 'GET', path: `/@fs${process.cwd()}/slides.md?raw` },
      { method: 'GET', path: `/follow/${scene.server.code}/../../@fs/etc/passwd` },
      { method: 'GET', path: `/follow/${scene.server.code}/rec-..%2F..%2Fetc%2Fpasswd.json` },
      { method: 'GET', path: `/follow/${scene.server.code}/rec-nope.json` },
    ])
    expect(results.map(r => [r.status, r.body])).toEqual(results.map(() => [404, '']))
  })

  it('under a Host that is not the follow address (DNS rebinding) gets nothing, and the refusal is logged with its reason', async () => {
    const page = `/follow/${scene.server.code}`
    const at = (host: string) => ({ headers: { Host: host } })
    const logsFrom = scene.server.bridge.logs.length
    const results = await scene.peer.probe(scene.peer.hostAddress, scene.server.port, [
      { method: 'GET', path: page, ...at(`${scene.peer.hostAddress}:${scene.server.port}`) }, // the address printed: served
      { method: 'GET', path: page, ...at(`rebind.example:${scene.server.port}`) },
      { method: 'GET', path: `${page}/slides.json`, ...at(`rebind.example:${scene.server.port}`) },
      { method: 'GET', path: page, ...at(scene.peer.hostAddress) }, // no port
      { method: 'WS', path: `${page}/live`, ...at(`rebind.example:${scene.server.port}`) },
    ])
    expect(results.map(r => r.status)).toEqual([200, 403, 403, 403, 403])
    for (const r of results.slice(1)) {
      expect(r.body).not.toContain(scene.server.code)
      expect(r.body).not.toContain('쿠버네티스')
    }
    const refusals = scene.server.bridge.logs.slice(logsFrom).filter(l => l.includes('follow listener: Host'))
    expect(refusals.length).toBe(4)
    expect(refusals[0]).toMatch(/refused GET \/follow\/\S+ from \S+ .*Host rebind\.example:\d+.*: follow listener: Host "rebind\.example:\d+" not allowed/)
  })

  it('with a wrong or missing code gets 404 and nothing else', async () => {
    const c = scene.server.code
    const results = await scene.peer.probe(scene.peer.hostAddress, scene.server.port, [
      { method: 'GET', path: '/' },
      { method: 'GET', path: '/follow/' },
      { method: 'GET', path: '/follow' },
      { method: 'GET', path: `/follow/${c.slice(0, -1)}` },
      { method: 'GET', path: `/follow/${c}0` },
      { method: 'GET', path: `/follow/${c.slice(0, -1)}/app.js` },
      { method: 'GET', path: `/follow/${c.slice(0, -1)}/slides.json` },
      { method: 'WS', path: `/follow/${c.slice(0, -1)}/live` },
      { method: 'WS', path: '/follow//live' },
    ])
    expect(results.map(r => [r.status, r.body])).toEqual(results.map(() => [404, '']))
    const sockets = await follower([[]], `ws://${scene.peer.hostAddress}:${scene.server.port}/follow/wrong/live`, 800)
    expect(sockets[0]!.opened).toBe(false)
  })
})
