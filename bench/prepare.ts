/**
 * Prepared in seconds (issue 23): the lead a presenter needs on the slides before a Kubernetes
 * demo once `npm run prepare-demos` ran before the talk.
 * - prepare.runS: `npm run prepare-demos` for the Kubernetes demos this machine can run, timed
 *   (from a cluster where they may or may not have been prepared already).
 * - prepare.leadS: per demo, in the talk's order, from a window joining the demo (as
 *   prepare-ahead does) to its session ready (setup done, shell started): the bridge's own
 *   preparation on the way to the slide; goal ≤ 15 s each. Each demo's window leaves as the next
 *   one's joins, with no grace, so the previous demo's reset (its namespace deleted) runs while
 *   the next is prepared, as on stage, where it must not hold that preparation up.
 * Every session's reset has run when it ends: nothing prepared is left on the cluster.
 */
import type { TestClient } from '../dev/bridge-client.ts'
import type { Demo } from '../server/demos/demos.ts'
import { connect } from '../dev/bridge-client.ts'
import { startStandalone } from '../server/bridge/standalone.ts'
import { loadDemo } from '../server/demos/demos.ts'
import { unmetNeeds } from '../server/demos/needs.ts'
import { planDeck } from '../server/plan/plan.ts'
import { now, progress, REPO, round } from './lib.ts'
import { runCommand } from './processes.ts'

export interface PrepareResult {
  runS: number
  /** Per demo: seconds to ready, or why it could not be measured. */
  leadS: Record<string, number | string>
  /** The demos whose needs this machine does not meet, and why. */
  unmet: Record<string, string>
}

const READY_TIMEOUT_MS = 300_000

/** The talk's Kubernetes demos, in the order the deck shows them. */
async function kubernetesDemos(): Promise<Demo[]> {
  const plan = await planDeck(REPO)
  const ids = plan.sections.flatMap(s => s.slides).map(s => s.demo?.id).filter((id): id is string => id !== undefined)
  return [...new Set(ids)].map(id => loadDemo(id)).filter(d => d.needs.includes('kubectl'))
}

export async function measurePrepare(): Promise<PrepareResult> {
  const result: PrepareResult = { runS: 0, leadS: {}, unmet: {} }
  const demos: Demo[] = []
  for (const demo of await kubernetesDemos()) {
    const unmet = await unmetNeeds(demo)
    if (unmet.length === 0)
      demos.push(demo)
    else
      result.unmet[demo.id] = unmet.map(u => `${u.need}: ${u.detail}`).join('; ')
  }
  if (demos.length === 0)
    throw new Error(`no Kubernetes demo can run here: ${JSON.stringify(result.unmet)}`)

  const run = await runCommand('npm', ['run', 'prepare-demos', '--', ...demos.map(d => d.id)], { cwd: REPO, timeoutMs: 900_000 })
  if (run.code !== 0)
    throw new Error(`npm run prepare-demos failed:\n${run.output.slice(-3000)}`)
  result.runS = round(run.ms / 1000, 1)
  progress(`  prepare-demos: ${result.runS} s for ${demos.map(d => d.id).join(', ')}`)

  const server = await startStandalone({ log: () => {}, session: { graceMs: 0 } })
  let previous: TestClient | undefined
  try {
    for (const demo of demos) {
      const t0 = now()
      const client = await connect(server.port, { token: server.bridge.token, demo: demo.id, role: 'watch' })
      // The previous demo's window leaves now: its reset starts while this one is prepared.
      await previous?.close()
      previous = client
      try {
        const state = await client.waitForMessage(m => m.type === 'state' && m.phase !== 'preparing', READY_TIMEOUT_MS)
        if (state.type === 'state' && state.phase !== 'running')
          throw new Error(`session ${state.phase}${state.detail ? `: ${state.detail}` : ''}`)
        result.leadS[demo.id] = round((now() - t0) / 1000, 1)
      }
      catch (err) {
        result.leadS[demo.id] = (err as Error).message.split('\n')[0]!
      }
      progress(`  ${demo.id}: ready after ${typeof result.leadS[demo.id] === 'number' ? `${result.leadS[demo.id]} s` : result.leadS[demo.id]}`)
    }
    await previous?.close()
  }
  finally {
    await server.close() // ends every session: each reset runs
  }
  return result
}
