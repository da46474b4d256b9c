import type { ServerMessage } from '../../common/protocol.ts'
import { describe, expect, it } from 'vitest'
import { encode, parseClientMessage, parseServerMessage, PROTOCOL_VERSION } from '../../common/protocol.ts'

describe('client messages', () => {
  it('round-trips every message type', () => {
    const messages = [
      { type: 'hello', v: PROTOCOL_VERSION, token: 'abc', demo: 'shell', role: 'control' },
      { type: 'input', data: '한글 ─ 🎉\r' },
      { type: 'ack', bytes: 4096 },
      { type: 'step' },
      { type: 'reset' },
    ] as const
    for (const m of messages)
      expect(parseClientMessage(encode(m))).toEqual({ ok: true, value: m })
  })

  it.each([
    ['not JSON', '{', /not JSON/],
    ['an unknown type', '{"type":"exec","cmd":"rm -rf /"}', /type/],
    ['a hello for another protocol version', '{"type":"hello","v":2,"token":"t","demo":"shell","role":"control"}', /v/],
    ['a demo id that is a path', '{"type":"hello","v":1,"token":"t","demo":"../etc","role":"control"}', /demo/],
    ['an unknown role', '{"type":"hello","v":1,"token":"t","demo":"shell","role":"admin"}', /role/],
    ['input that is not a string', '{"type":"input","data":42}', /data/],
    ['a negative ack', '{"type":"ack","bytes":-1}', /bytes/],
    ['a fractional ack', '{"type":"ack","bytes":1.5}', /bytes/],
    ['a huge ack', '{"type":"ack","bytes":1e300}', /bytes/],
    ['an array', '[1,2]', /./],
    ['null', 'null', /./],
  ])('refuses %s', (_what, raw, error) => {
    const r = parseClientMessage(raw)
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.error).toMatch(error)
  })
})

describe('server messages', () => {
  it('parses a state message and rejects garbage', () => {
    const state: ServerMessage = { type: 'state', phase: 'running', nextStep: 1, typing: false, busy: false, radar: [{ status: 'late', elapsedMs: 5100, rehearsedMs: 2000, why: 'not done', lines: 'pod/x 0/1 ErrImagePull' }] }
    expect(parseServerMessage(encode(state))).toEqual(state)
    expect(parseServerMessage('nope')).toBeUndefined()
    expect(parseServerMessage('42')).toBeUndefined()
  })

  it('parses ready and reset', () => {
    const ready: ServerMessage = { type: 'ready', cols: 90, rows: 20 }
    expect(parseServerMessage(encode(ready))).toEqual(ready)
    expect(parseServerMessage('{"type":"reset"}')).toEqual({ type: 'reset' })
  })

  it('parses who answers the terminal\'s queries, the heartbeat, and the signal that ended the shell', () => {
    expect(parseServerMessage('{"type":"responder","responder":true}')).toEqual({ type: 'responder', responder: true })
    expect(parseServerMessage('{"type":"beat","intervalMs":5000}')).toEqual({ type: 'beat', intervalMs: 5000 })
    const exited: ServerMessage = { type: 'state', phase: 'exited', nextStep: 0, typing: false, busy: false, radar: [], exitCode: 0, signal: 'SIGKILL' }
    expect(parseServerMessage(encode(exited))).toEqual(exited)
  })

  it.each([
    ['an unknown type', '{"type":"exec"}'],
    ['a state without typing', '{"type":"state","phase":"running","nextStep":0}'],
    ['an unknown phase', '{"type":"state","phase":"dancing","nextStep":0,"typing":false}'],
    ['a ready without a size', '{"type":"ready"}'],
    ['a ready whose size is not a number', '{"type":"ready","cols":"80","rows":24}'],
    ['a responder word that is not a yes or no', '{"type":"responder","responder":"yes"}'],
    ['a beat without its interval', '{"type":"beat"}'],
    ['a beat of zero', '{"type":"beat","intervalMs":0}'],
  ])('drops %s', (_what, raw) => {
    expect(parseServerMessage(raw)).toBeUndefined()
  })
})
