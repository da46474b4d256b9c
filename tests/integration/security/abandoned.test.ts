/**
 * Abandoned demos are reset: a demo's workload can live outside its session's processes (a
 * Kubernetes namespace), so a session that ends, when its windows have been gone for the grace
 * or when the deck stops with demos only prepared ahead, runs the demo's reset.sh, bounded in
 * time and logged. Here the reset records that it ran in a file; no cluster is needed.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SESSION_END_MS } from '../../helpers/procs.ts'
import { tempDemos } from '../../../dev/decks.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'

const demos = tempDemos()
const ranFile = (id: string) => path.join(demos.dir, `${id}.reset-ran`)
const ran = (id: string) => existsSync(ranFile(id)) ? readFileSync(ranFile(id), 'utf8') : ''
for (const id of ['abandoned', 'ahead-1', 'ahead-2'])
  demos.add(id, `title: ${id}\nsetup: setup.sh\nreset: reset.sh\nsteps:\n  - type: echo hi\n`, { 'setup.sh': 'true\n', 'reset.sh': `echo reset >> ${JSON.stringify(ranFile(id))}\n` })
demos.add('stuck-reset', 'title: a reset that hangs\nreset: reset.sh\nsteps:\n  - type: echo hi\n', { 'reset.sh': 'exec sleep 600\n' })
afterAll(() => demos.remove())

const GRACE_MS = 2000

describe('a demo whose windows are gone', () => {
  it('runs its reset once the grace has passed, not before; logged', async () => {
    const b = await startBridge({ demosDir: demos.dir, session: { graceMs: GRACE_MS } })
    try {
      const c = await b.join({ demo: 'abandoned' })
      await c.waitForText(/\$ $/)
      await c.close()
      await sleep(GRACE_MS / 4)
      expect(ran('abandoned')).toBe('') // a reload would still come back
      await waitFor(() => ran('abandoned') === 'reset\n', 'the reset to run', GRACE_MS + SESSION_END_MS)
      await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
      expect(b.logs).toContainEqual(expect.stringMatching(/^\[abandoned\] reset after the end: done in \d+ ms$/))
    }
    finally {
      await b.close()
    }
  })

  it('a reset that hangs is cancelled after endResetMs, and says so', async () => {
    const b = await startBridge({ demosDir: demos.dir, session: { endResetMs: 1000 } })
    try {
      const c = await b.join({ demo: 'stuck-reset' })
      await c.waitForText(/\$ $/)
      await c.close()
      await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
      expect(b.logs).toContainEqual(expect.stringMatching(/^\[stuck-reset\] reset after the end failed .*\n.*reset timed out after 1s/))
    }
    finally {
      await b.close()
    }
  })
})

describe('the deck stopping', () => {
  it('runs the reset of every demo prepared ahead (a hidden watch window each) before it is done', async () => {
    const b = await startBridge({ demosDir: demos.dir, session: { graceMs: 60_000 } })
    const windows = await Promise.all(['ahead-1', 'ahead-2'].map(demo => b.join({ demo, role: 'watch' })))
    await Promise.all(windows.map(w => w.waitForMessage(m => m.type === 'state' && m.phase === 'running')))
    await b.close()
    expect([ran('ahead-1'), ran('ahead-2')]).toEqual(['reset\n', 'reset\n'])
  })
})
