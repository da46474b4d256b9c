/**
 * 1,000 connect/disconnect cycles, closing at every stage of a session's life (before the hello
 * is read, before the shell is up, at the prompt, with a background job running): afterwards no
 * process of any session, no socket and no session object remains.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encode } from '../../../common/protocol.ts'
import { bashDescendants, descendants, marker, procsWithEnv } from '../../helpers/procs.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

const CYCLES = Number(process.env.CHURN_CYCLES ?? 1000)
const WORKERS = 16
const ids = Array.from({ length: WORKERS }, (_, i) => `c${i}`)
const demos = tinyDemos(ids)
let b: TestBridge

beforeAll(async () => {
  // No grace: a window that leaves ends its session at once, so the cycles end sessions at every
  // stage rather than rejoin one still in its grace.
  b = await startBridge({ demosDir: demos.dir, maxSessions: WORKERS, session: { graceMs: 0 } })
})
afterAll(async () => {
  await b.close()
  demos.remove()
})

describe('churn', () => {
  it(`${CYCLES} connect/disconnect cycles leave no process, socket or session behind`, async () => {
    const mark = marker('churn')
    let done = 0
    const worker = async (demo: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const stage = i % 10
        const c = await b.join({ demo, hello: stage !== 0 })
        if (stage === 0) { // before any hello
          // nothing
        }
        else if (stage <= 3) { // hello sent, maybe not even read yet
        }
        else if (stage <= 6) {
          await c.waitForMessage(m => m.type === 'ready')
        }
        else if (stage <= 8) {
          await c.waitForText(/\$ $/)
        }
        else {
          await c.waitForText(/\$ $/)
          c.ws.send(encode({ type: 'input', data: `${mark} sleep 999 & ${mark} sleep 998\r` }))
        }
        c.ws.close()
        await c.closed
        done++
      }
    }
    const per = Math.ceil(CYCLES / WORKERS)
    await Promise.all(ids.map((demo, i) => worker(demo, Math.min(per, CYCLES - i * per))))
    expect(done).toBe(CYCLES)

    // A session replaced by a newer one of the same demo while it was still ending is no longer
    // listed, but must still finish: count the log lines rather than trust the registry alone.
    const count = (re: RegExp) => b.logs.filter(l => re.test(l)).length
    await waitFor(() => b.server.bridge.sessionInfo().length === 0 && count(/ ended$/) === count(/ started$/), 'every session to end', 20_000)
    await waitFor(() => b.server.bridge.connectionInfo().length === 0, 'every socket to be forgotten', 5000)
    expect(bashDescendants()).toEqual([])
    expect(procsWithEnv(mark)).toEqual([])
    expect(descendants().filter(p => p.state === 'Z')).toEqual([])
    expect(b.logs.filter(l => /error handling/.test(l))).toEqual([])
    expect(count(/ started$/)).toBeGreaterThan(CYCLES / 2)
  }, 240_000)
})
