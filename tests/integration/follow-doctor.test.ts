/** `npm run doctor -- --follow`: the follow address reached from a second network namespace, or why not. */
import { describe, expect, it } from 'vitest'
import { followReach } from '../../server/follow/reach.ts'
import { peerUnavailable } from '../helpers/netns.ts'

const unavailable = peerUnavailable()

describe.skipIf(unavailable)(`doctor --follow (${unavailable ?? 'network namespace'})`, () => {
  it('reaches each of this machine\'s addresses from a second namespace', async () => {
    const lines = await followReach()
    expect(lines.length).toBeGreaterThan(0)
    for (const l of lines)
      expect(l, l.detail).toMatchObject({ ok: true, detail: expect.stringContaining('reached from a second network namespace') })
  }, 60_000)
  it('says so, with a fix, for an address that is not this machine\'s', async () => {
    const [line] = await followReach('192.0.2.123')
    expect(line).toMatchObject({ ok: false, detail: expect.stringContaining('cannot listen there'), fix: expect.stringContaining('--bind') })
  }, 60_000)
})
