import type { Results } from '../../bench/report.ts'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { mergeResults } from '../../bench/report.ts'

const machine = (date: string): Results['machine'] => ({ cpu: 'x', cores: 2, memoryGb: 1, node: 'v24', os: 'Linux', date, load: [0, 0, 0], netns: true })

describe('a bench run of some sections', () => {
  it('keeps the figures of the sections it did not run, and says when each was measured', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-')), 'results.json')
    const full = {
      machine: machine('2026-01-01'),
      errors: { rehearsal: 'boom' },
      echo: { p50Ms: 9 },
      deck: { startMs: 100, exportMsPerSlide: 700 },
      rehearsal: { totalS: 500 },
      measured: { echo: '2026-01-01', deck: '2026-01-01', export: '2026-01-01', rehearsal: '2026-01-01' },
    } as unknown as Results
    writeFileSync(file, JSON.stringify(full))
    const partial = { machine: machine('2026-02-02'), errors: {}, echo: { p50Ms: 1 }, deck: { startMs: 90 } } as unknown as Results
    const merged = mergeResults(partial, ['echo', 'deck'], file) as unknown as Record<string, any>
    expect(merged.echo).toEqual({ p50Ms: 1 })
    expect(merged.deck).toEqual({ startMs: 90, exportMsPerSlide: 700 })
    expect(merged.rehearsal).toEqual({ totalS: 500 })
    expect(merged.errors).toEqual({ rehearsal: 'boom' })
    expect(merged.measured).toEqual({ echo: '2026-02-02', deck: '2026-02-02', export: '2026-01-01', rehearsal: '2026-01-01' })
    expect(JSON.parse(readFileSync(file, 'utf8')).echo).toEqual({ p50Ms: 9 })
  })
})
