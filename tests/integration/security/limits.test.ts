/**
 * Bounded resources: frames over maxPayload (whole or in fragments) close 1009 before the
 * server buffers them; one session more than maxSessions is refused with 1013 until one ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode, encode } from '../../../common/protocol.ts'
import { bashDescendants } from '../../helpers/procs.ts'
import { closeCodeOf, frame, Opcode, rawUpgrade } from '../../helpers/raw-ws.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { sleep, waitFor, within } from '../../../dev/wait.ts'
import { expectNoSpawn, startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

const MAX_PAYLOAD = 4096

describe('maxPayload', () => {
  let b: TestBridge
  beforeAll(async () => {
    b = await startBridge({ maxPayload: MAX_PAYLOAD })
  })
  afterAll(async () => {
    await b.close()
  })

  it('closes 1009 on a first frame one byte over maxPayload, before any hello is read', async () => {
    const c = await b.join({ hello: false })
    c.ws.send('x'.repeat(MAX_PAYLOAD + 1))
    expect((await c.closedWithin()).code).toBe(CloseCode.tooBig)
    expectNoSpawn(b)
  })

  it('closes 1009 on an oversized frame from an authenticated window, and the session survives for others', async () => {
    const a = await b.join()
    const other = await b.join()
    await a.waitForText(/\$ $/)
    a.ws.send(encode({ type: 'input', data: 'y'.repeat(MAX_PAYLOAD) }))
    expect((await a.closedWithin()).code).toBe(CloseCode.tooBig)
    other.send({ type: 'input', data: 'echo still-$((20+1))\r' })
    await other.waitForText(/still-21/)
    await other.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0 && bashDescendants().length === 0, 'condition')
  })

  it('accepts a frame of exactly maxPayload bytes (the limit is the limit, not less)', async () => {
    const c = await b.join()
    await c.waitForMessage(m => m.type === 'ready')
    const exact = encode({ type: 'input', data: '' }).length
    c.ws.send(encode({ type: 'input', data: '#'.repeat(MAX_PAYLOAD - exact) }))
    const pong = new Promise(r => c.ws.once('pong', r))
    c.ws.ping()
    await pong
    expect(c.ws.readyState).toBe(c.ws.OPEN)
    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'condition')
  })

  it('closes 1009 once a flood of tiny fragments adds up to more than maxPayload', async () => {
    const c = await b.join()
    await c.waitForMessage(m => m.type === 'ready')
    const chunk = 'z'.repeat(64)
    for (let sent = 0; sent < MAX_PAYLOAD; sent += chunk.length)
      c.ws.send(chunk, { fin: false })
    // Exactly maxPayload so far: still open (a ping in the middle of a fragmented message is legal).
    const pong = new Promise(r => c.ws.once('pong', r))
    c.ws.ping()
    await pong
    expect(c.ws.readyState).toBe(c.ws.OPEN)
    c.ws.send('z', { fin: false })
    expect((await c.closedWithin()).code).toBe(CloseCode.tooBig)
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'condition')
  })

  it('closes 1009 on a fragment flood before hello too, after about maxPayload bytes, not after all of it', async () => {
    const mark = b.logs.length
    const peer = await rawUpgrade(b.port)
    expect(peer.status).toBe(101)
    let sent = 0
    // 1-byte fragments, 64 KiB of them if the server let us: it must stop us at maxPayload.
    while (sent < 64 * 1024 && !peer.socket.destroyed && closeCodeOf(peer.received()) === undefined) {
      peer.socket.write(frame(sent === 0 ? Opcode.text : Opcode.continuation, 'f', { fin: false }))
      sent++
      if (sent % 512 === 0)
        await sleep(5)
    }
    await within(peer.ended, 5000, 'the server closing the connection')
    expect(closeCodeOf(peer.received())).toBe(CloseCode.tooBig)
    expect(sent).toBeLessThan(MAX_PAYLOAD + 8 * 512) // closed at the limit (plus what was in flight)
    expectNoSpawn(b, mark)
  })

  it('closes 1009 on a header that declares 1 GiB, without waiting for (or buffering) the body', async () => {
    const mark = b.logs.length
    const peer = await rawUpgrade(b.port)
    const before = process.memoryUsage().arrayBuffers
    const started = Date.now()
    peer.socket.write(frame(Opcode.text, 'x'.repeat(16), { declaredLength: 2 ** 30 }))
    await within(peer.ended, 5000, 'the server closing the connection')
    expect(Date.now() - started).toBeLessThan(1000)
    expect(closeCodeOf(peer.received())).toBe(CloseCode.tooBig)
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024)
    expectNoSpawn(b, mark)
  })
})

describe('maxSessions', () => {
  const demos = tinyDemos(['d1', 'd2', 'd3'])
  let b: TestBridge
  beforeAll(async () => {
    b = await startBridge({ maxSessions: 2, demosDir: demos.dir })
  })
  afterAll(async () => {
    await b.close()
    demos.remove()
  })

  it('refuses one session more than maxSessions with 1013 and a clear reason, spawning nothing; accepts it after one ends', async () => {
    const d1 = await b.join({ demo: 'd1' })
    const d2 = await b.join({ demo: 'd2' })
    await d1.waitForText(/\$ $/)
    await d2.waitForText(/\$ $/)
    expect(bashDescendants()).toHaveLength(2)

    const d3 = await b.join({ demo: 'd3' })
    const refused = await d3.closedWithin()
    expect(refused.code).toBe(CloseCode.tryLater)
    expect(refused.reason).toMatch(/session limit \(2\) reached/)
    expect(d3.messages).toEqual([]) // not even a "ready"
    await sleep(100)
    expect(b.server.bridge.sessionInfo().map(s => s.demo).sort()).toEqual(['d1', 'd2'])
    expect(bashDescendants()).toHaveLength(2)
    expect(b.logs.some(l => /session limit/.test(l))).toBe(true)

    // Another window on a running session is no new session: allowed at the limit.
    const d1b = await b.join({ demo: 'd1' })
    await d1b.waitForMessage(m => m.type === 'ready')
    expect(b.server.bridge.sessionInfo().find(s => s.demo === 'd1')?.clients).toBe(2)

    await Promise.all([d1.close(), d1b.close()])
    await waitFor(() => !b.server.bridge.sessionInfo().some(s => s.demo === 'd1'), 'condition')
    const again = await b.join({ demo: 'd3' })
    await again.waitForText(/\$ $/)
    expect(b.server.bridge.sessionInfo().map(s => s.demo).sort()).toEqual(['d2', 'd3'])

    await Promise.all([d2.close(), again.close()])
    await waitFor(() => b.server.bridge.sessionInfo().length === 0 && bashDescendants().length === 0, 'condition')
  })

  it('counts sessions, not sockets: a burst of joins to new demos at the limit spawns at most maxSessions shells', async () => {
    const clients = await Promise.all(['d1', 'd2', 'd3', 'd1', 'd3', 'd2'].map(demo => b.join({ demo })))
    await sleep(300)
    expect(b.server.bridge.sessionInfo().length).toBeLessThanOrEqual(2)
    expect(bashDescendants().length).toBeLessThanOrEqual(2)
    const codes = await Promise.all(clients.map(async (c) => {
      if (c.ws.readyState === c.ws.OPEN)
        await c.close()
      return (await c.closedWithin()).code
    }))
    expect(codes.filter(code => code === CloseCode.tryLater).length).toBeGreaterThanOrEqual(1)
    await waitFor(() => b.server.bridge.sessionInfo().length === 0 && bashDescendants().length === 0, 'condition')
  })
})
