/** The clients' ack rule: one ack per 8 KiB rendered, or after 30 ms for a trickle, never lost. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ACK_BATCH_BYTES, ACK_DELAY_MS, ackBatcher } from '../../common/ack.ts'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('ackBatcher', () => {
  it('acks a full batch at once, the rest after the delay', () => {
    const sent: number[] = []
    const acks = ackBatcher(n => sent.push(n))
    acks.rendered(ACK_BATCH_BYTES - 1)
    expect(sent).toEqual([])
    acks.rendered(10)
    expect(sent).toEqual([ACK_BATCH_BYTES + 9])
    acks.rendered(5)
    vi.advanceTimersByTime(ACK_DELAY_MS - 1)
    expect(sent).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sent).toEqual([ACK_BATCH_BYTES + 9, 5])
  })

  it('sends nothing for nothing, and forgets what a closed socket owed', () => {
    const sent: number[] = []
    const acks = ackBatcher(n => sent.push(n))
    acks.flush()
    acks.rendered(100)
    acks.drop()
    vi.advanceTimersByTime(ACK_DELAY_MS * 2)
    expect(sent).toEqual([])
  })
})
