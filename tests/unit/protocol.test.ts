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
    const state = { type: 'state', phase: 'running', nextStep: 1, typing: false } as const
    expect(parseServerMessage(encode(state))).toEqual(state)
    expect(parseServerMessage('nope')).toBeUndefined()
    expect(parseServerMessage('42')).toBeUndefined()
  })
})
