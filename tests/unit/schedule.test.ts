/** The parallel rehearsal's schedule: at most N at once, an exclusive demo alone, quiet moments. */
import { describe, expect, it } from 'vitest'
import { defaultJobs, runScheduled } from '../../server/rehearse/schedule.ts'

const GiB = 2 ** 30
const tick = (ms: number) => new Promise(r => setTimeout(r, ms))

interface Item { id: string, exclusive: boolean, ms: number }

/** Runs the items with fake work of their `ms`, logging starts, ends and quiet moments. */
async function trace(items: Item[], jobs: number) {
  const log: string[] = []
  let now = 0
  let peak = 0
  const running = new Set<string>()
  await runScheduled(items, jobs, async (item) => {
    running.add(item.id)
    peak = Math.max(peak, running.size)
    log.push(`start ${item.id} [${[...running].sort().join(' ')}]`)
    await tick(item.ms)
    running.delete(item.id)
    log.push(`end ${item.id}`)
  }, async () => {
    expect(running.size).toBe(0)
    log.push('quiet')
    now++
    await tick(5)
  })
  return { log, peak, quiets: now }
}

describe('runScheduled', () => {
  it('runs at most N at once, in the given order', async () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map(id => ({ id, exclusive: false, ms: 20 }))
    const { log, peak } = await trace(items, 2)
    expect(peak).toBe(2)
    expect(log.filter(l => l.startsWith('start')).map(l => l.split(' ')[1])).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(log.at(-1)).toBe('quiet')
  })

  it('runs an exclusive item with nothing beside it; the items behind it wait for it', async () => {
    const items = [
      { id: 'a', exclusive: false, ms: 30 },
      { id: 'x', exclusive: true, ms: 20 },
      { id: 'b', exclusive: false, ms: 10 },
      { id: 'c', exclusive: false, ms: 10 },
    ]
    const { log } = await trace(items, 3)
    expect(log).toEqual([
      'start a [a]',
      'end a',
      'quiet',
      'start x [x]',
      'end x',
      'quiet',
      'start b [b]',
      'start c [b c]',
      'end b',
      'end c',
      'quiet',
    ])
  })

  it('one at a time, every end is a quiet moment (a serial run judges each demo right after it)', async () => {
    const items = ['a', 'b', 'c'].map(id => ({ id, exclusive: false, ms: 5 }))
    const { log, quiets } = await trace(items, 1)
    expect(quiets).toBe(3)
    expect(log).toEqual(['start a [a]', 'end a', 'quiet', 'start b [b]', 'end b', 'quiet', 'start c [c]', 'end c', 'quiet'])
  })

  it('nothing to run ends at once', async () => {
    expect((await trace([], 4)).log).toEqual([])
  })

  it('a failing run rejects the whole schedule', async () => {
    await expect(runScheduled([{ id: 'a', exclusive: false }], 2, async () => {
      throw new Error('boom')
    })).rejects.toThrow('boom')
  })
})

describe('defaultJobs', () => {
  it('is two per core, at most one per GiB of free memory, at least one', () => {
    expect(defaultJobs(2, 23 * GiB)).toBe(4)
    expect(defaultJobs(16, 6.5 * GiB)).toBe(6)
    expect(defaultJobs(4, 0.5 * GiB)).toBe(1)
    expect(defaultJobs(1, 8 * GiB)).toBe(2)
  })
})
