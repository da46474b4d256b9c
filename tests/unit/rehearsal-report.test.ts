/** bench/rehearsal.ts: which figure a rehearsal's --report is (one node, two nodes on containerd, neither). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRehearsalReport } from '../../bench/rehearsal.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'rehearsal-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function report(name: string, extra: object): string {
  const file = path.join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify({
    args: ['--strict'],
    jobs: 4,
    startedAt: 1_000_000,
    ms: 200_000,
    failed: 0,
    demos: {
      'k8s-node-failure': { outcome: 'passed', exclusive: true, startedAt: 1_000_500, endedAt: 1_099_000, judgedAt: 1_100_000 },
      'k8s-deploy': { outcome: 'passed', exclusive: false, startedAt: 1_100_000, judgedAt: 1_150_000 },
      'shell': { outcome: 'passed', exclusive: false, startedAt: 1_100_100, judgedAt: 1_199_000 },
    },
    ...extra,
  }))
  return file
}

describe('readRehearsalReport', () => {
  it('a passing run on one node is oneNodeS; on two with node 2 on containerd, twoNodeS', () => {
    expect(readRehearsalReport(report('one', { readyNodes: ['testbed'], nodeRuntimes: 'testbed=docker://20.10' }))).toMatchObject({ counts: 'oneNodeS', wallS: 200, jobs: 4 })
    expect(readRehearsalReport(report('two', { readyNodes: ['testbed', 'testbed-2'], nodeRuntimes: 'testbed=docker://20.10 testbed-2=containerd://1.6.20' })).counts).toBe('twoNodeS')
  })

  it('counts neither a run on two Docker nodes nor a failing run', () => {
    expect(readRehearsalReport(report('docker2', { readyNodes: ['testbed', 'testbed-2'], nodeRuntimes: 'testbed=docker://20.10 testbed-2=docker://20.10' })).counts).toBeUndefined()
    expect(readRehearsalReport(report('failed', { failed: 1, readyNodes: ['testbed'] })).counts).toBeUndefined()
  })

  it('times the demos that are not exclusive apart, and each demo from the run\'s start', () => {
    const run = readRehearsalReport(report('shared', { readyNodes: ['testbed'] }))
    expect(run.sharedS).toBe(99)
    expect(run.demos['k8s-node-failure']).toEqual({ outcome: 'passed', exclusive: true, startS: 0.5, endS: 99, judgedS: 100 })
  })
})
