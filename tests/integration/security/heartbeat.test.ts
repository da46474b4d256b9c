/**
 * A peer that stops answering pings is dropped within two heartbeat intervals, and its
 * session's processes go with it, unless another window still shares the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { BRIDGE_PATH, encode, PROTOCOL_VERSION } from '../../../common/protocol.ts'
import { sessionProcesses } from '../../../server/containment/process-tree.ts'
import { bashDescendants, marker, procsWithEnv, SESSION_END_MS } from '../../helpers/procs.ts'
import { frame, Opcode, parseFrames, rawUpgrade } from '../../helpers/raw-ws.ts'
import { sleep, waitFor, within } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

const HEARTBEAT = 250
/** Two intervals, plus scheduling slack on a busy machine. */
const DROP_WITHIN = 2 * HEARTBEAT + 300

let b: TestBridge
beforeAll(async () => {
  b = await startBridge({ heartbeatMs: HEARTBEAT })
})
afterAll(async () => {
  await b.close()
})

const hello = () => encode({ type: 'hello', v: PROTOCOL_VERSION, token: b.token, demo: 'shell', role: 'control' })
const input = (data: string) => encode({ type: 'input', data })

/**
 * A hand-made peer that joins and starts `command`. It keeps itself alive with unsolicited
 * pongs (legal: a unidirectional heartbeat) until told to `die()`; from then on it answers
 * nothing. With `stopReading` it also never reads a byte the server sends.
 */
async function peerThatDies(command: string, o: { stopReading?: boolean } = {}) {
  const peer = await rawUpgrade(b.port)
  expect(peer.status).toBe(101)
  peer.socket.write(Buffer.concat([frame(Opcode.text, hello()), frame(Opcode.text, input(`${command}\r`))]))
  if (o.stopReading)
    peer.socket.pause()
  const keepAlive = setInterval(() => peer.socket.write(frame(Opcode.pong, '')), HEARTBEAT / 3)
  return {
    peer,
    /** Stops every sign of life; returns the moment it did. */
    die: () => {
      clearInterval(keepAlive)
      return Date.now()
    },
  }
}

describe('heartbeat', () => {
  it('drops a raw peer that stops answering pings within two intervals, and ends its session\'s processes', async () => {
    const mark = marker('hb-raw-alone')
    const { peer, die } = await peerThatDies(`${mark} sleep 990 &`)
    await waitFor(() => procsWithEnv(mark).length === 1, 'the marked sleep to start', 5000)
    const shell = b.server.bridge.sessionInfo()[0]!.pid!
    const diedAt = die()
    await within(peer.ended, 4 * DROP_WITHIN, 'the drop')
    const took = Date.now() - diedAt
    expect(took).toBeLessThan(DROP_WITHIN)
    // It really was pinged, and answered none of those pings.
    expect(parseFrames(peer.received()).some(f => f.opcode === Opcode.ping)).toBe(true)
    expect(b.logs.some(l => l.includes('stopped answering pings'))).toBe(true)
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
    expect(sessionProcesses(shell, true)).toEqual([])
    expect(bashDescendants()).toEqual([])
  })

  it('drops a ws client with autoPong off the same way', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}${BRIDGE_PATH}`, {
      headers: { Host: `localhost:${b.port}`, Origin: `http://localhost:${b.port}` },
      autoPong: false,
    })
    await new Promise(r => ws.once('open', r))
    const connectedAt = Date.now()
    ws.send(hello())
    const closed = await within(new Promise<number>(r => ws.once('close', code => r(code))), 4 * DROP_WITHIN, 'the drop')
    expect(Date.now() - connectedAt).toBeLessThan(DROP_WITHIN)
    expect(closed).toBe(1006) // terminated, no close handshake with a dead peer
    await waitFor(() => b.server.bridge.sessionInfo().length === 0 && bashDescendants().length === 0, 'the session to end', SESSION_END_MS)
  })

  it('drops a peer that stopped reading while its shell floods output, and the flood ends with it', async () => {
    const mark = marker('hb-flood')
    const logMark = b.logs.length
    const { peer, die } = await peerThatDies(`${mark} yes`, { stopReading: true })
    await waitFor(() => procsWithEnv(mark).length === 1, 'yes to start', 5000)
    const diedAt = die()
    // A paused socket does not see its own end: watch the server's side instead.
    await waitFor(() => b.logs.slice(logMark).some(l => l.includes('stopped answering pings')), 'the drop', DROP_WITHIN)
    expect(Date.now() - diedAt).toBeLessThan(DROP_WITHIN)
    peer.socket.destroy()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
    expect(bashDescendants()).toEqual([])
  })

  it('keeps the session (and its processes) while another window still shares it', async () => {
    const alive = await b.join()
    await alive.waitForText(/\$ $/)
    const mark = marker('hb-shared')
    const { peer, die } = await peerThatDies(`${mark} sleep 991 &`)
    await waitFor(() => procsWithEnv(mark).length === 1, 'the marked sleep to start', 5000)
    expect(b.server.bridge.sessionInfo()[0]!.clients).toBe(2)
    const diedAt = die()
    await within(peer.ended, 4 * DROP_WITHIN, 'the drop')
    expect(Date.now() - diedAt).toBeLessThan(DROP_WITHIN)
    await sleep(3 * HEARTBEAT) // the living window answers pings: it stays, and so does the shell
    expect(alive.ws.readyState).toBe(WebSocket.OPEN)
    expect(b.server.bridge.sessionInfo()).toMatchObject([{ demo: 'shell', clients: 1, phase: 'running' }])
    expect(procsWithEnv(mark)).toHaveLength(1)
    alive.send({ type: 'input', data: 'echo shared-$((3*3))\r' })
    await alive.waitForText(/shared-9/)
    await alive.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', 5000)
    expect(procsWithEnv(mark)).toEqual([])
    expect(bashDescendants()).toEqual([])
  })
})
