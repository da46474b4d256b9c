/**
 * The presenter's radar in the session's state message (real bridge, real WebSocket, real
 * shells; the last test on the real cluster): each typed step done, late (over twice its time in
 * the recording), failed (its timeout, its fail pattern on screen, or its prompt back without its
 * expected output) with the screen's last lines, and a declared retry typed in its place.
 */
import type { ServerMessage, StepRadar, StepStatus } from '../../common/protocol.ts'
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDING_FILE } from '../../common/asciicast.ts'
import { tempDemos } from '../../dev/decks.ts'
import { recordingWithStepTimes } from '../../dev/recordings.ts'
import { readyNodes } from '../../server/demos/cluster-checks.ts'
import { startBridge } from '../helpers/bridge-under-test.ts'
import type { TestBridge } from '../helpers/bridge-under-test.ts'
import type { TestClient } from '../../dev/bridge-client.ts'

const demos = tempDemos()
demos.add('radar', [
  'title: radar',
  'steps:',
  '  - type: echo ok-$((1+1))',
  '    expect: ^ok-2$',
  '  - type: sleep 2; echo slow-$((2+3))',
  '    expect: ^slow-5$',
  '  - type: echo bo""om; sleep 30',
  '    fail: ^boom$',
  '    retry: echo fixed-$((4+4))',
  '    expect: ^fixed-8$',
  '  - type: echo wrong',
  '    expect: ^right$',
  '  - type: sleep 30',
  '    timeout: 1',
].join('\n'), { [RECORDING_FILE]: recordingWithStepTimes([300, 300, 300, 300, 300]) })

let b: TestBridge
beforeAll(async () => {
  b = await startBridge({ demosDir: demos.dir, session: { typingDelayMs: 2 } })
})
afterAll(async () => {
  await b.close()
  demos.remove()
})

type State = Extract<ServerMessage, { type: 'state' }>
const radarOf = (m: ServerMessage) => (m.type === 'state' ? m.radar : [])
/** The first state message in which step `i` has `status`. */
async function reaches(c: TestClient, i: number, status: StepStatus, ms = 15_000): Promise<StepRadar> {
  const m = await c.waitForMessage(m => radarOf(m)[i]?.status === status, ms) as State
  return m.radar[i]!
}

describe('the radar on a real session', () => {
  it('tells done, late then done, failed by pattern then retried, failed by output and by timeout', async () => {
    const c = await b.join({ demo: 'radar' })
    await c.waitForText(/\$ $/)

    c.send({ type: 'step' })
    expect(await reaches(c, 0, 'typing')).toMatchObject({ rehearsedMs: 300 })
    const done = await reaches(c, 0, 'done')
    expect(done.elapsedMs).toBeGreaterThan(0)
    expect(done.why).toBeUndefined()

    c.send({ type: 'step' })
    await reaches(c, 1, 'running')
    const late = await reaches(c, 1, 'late', 5000)
    expect(late.why).toMatch(/rehearsed 0\.3 s/)
    expect(late.elapsedMs).toBeGreaterThanOrEqual(600)
    expect(await reaches(c, 1, 'done', 10_000)).toMatchObject({ status: 'done' })
    expect(late.elapsedMs).toBeLessThan(2000) // late came while it ran, not when it ended

    c.send({ type: 'step' })
    const failed = await reaches(c, 2, 'failed', 10_000)
    expect(failed.why).toBe('the screen shows /^boom$/')
    expect(failed.lines).toMatch(/^boom$/m)
    expect(failed.elapsedMs).toBeLessThan(10_000) // at once, not at its 30 s timeout
    c.send({ type: 'retry' }) // interrupts the sleep, types the retry in the step's place
    await c.waitForText(/\^C[\s\S]*echo fixed-\$\(\(4\+4\)\)[\s\S]*fixed-8/)
    const retried = await reaches(c, 2, 'done', 10_000)
    expect(retried.status).toBe('done')
    const after = (c.messages.filter(m => m.type === 'state') as State[]).at(-1)!
    expect(after.nextStep).toBe(3) // the retry took the step's place: the next click is step 4

    c.send({ type: 'step' })
    expect((await reaches(c, 3, 'failed')).why).toBe('output did not match /^right$/ when the prompt came back')

    c.send({ type: 'step' })
    const timedOut = await reaches(c, 4, 'failed', 5000)
    expect(timedOut.why).toBe('the prompt /\\$ $/ did not come back within 1s')
    await c.close()
  })

  it('ignores a retry for a step that is done or declares none', async () => {
    const c = await b.join({ demo: 'radar' })
    c.send({ type: 'reset' })
    await c.waitForMessage(m => m.type === 'state' && m.phase === 'running' && m.radar.length === 0, 20_000)
    c.send({ type: 'step' })
    await reaches(c, 0, 'done')
    await c.waitForText(/ok-2\r\n\S*\$ $/) // the state may come before the last output
    const before = c.text().length
    c.send({ type: 'retry' })
    await new Promise(r => setTimeout(r, 500))
    expect(c.text().slice(before)).toBe('')
    await c.close()
  })
})

const nodes = process.env.TESTBED_REGISTRY ? await readyNodes() : []

describe.skipIf(nodes.length === 0)('the radar on the real cluster', () => {
  const cluster = tempDemos()
  const id = 'radar-pull'
  const ns = `k8s-basics-demo-${id}`
  cluster.add(id, [
    'title: an image that cannot be pulled',
    'needs: [kubectl]',
    'fail: ImagePullBackOff|ErrImagePull|ErrImageNeverPull',
    'setup: setup.sh',
    'reset: reset.sh',
    'steps:',
    `  - type: kubectl run nope --image=${process.env.TESTBED_REGISTRY}/k8s-basics/does-not-exist:0 --restart=Never -n $DEMO_NAMESPACE`,
    '    expect: pod/nope created',
    '  - type: sleep 2; kubectl get pod nope -n $DEMO_NAMESPACE -w',
    '    expect: nope\\s+1/1\\s+Running',
    '    timeout: 90',
  ].join('\n'), {
    // A namespace left terminating by an earlier run is waited out first.
    'setup.sh': 'kubectl delete namespace "$DEMO_NAMESPACE" --ignore-not-found --timeout=60s >/dev/null && kubectl create namespace "$DEMO_NAMESPACE" >/dev/null\n',
    'reset.sh': 'kubectl delete namespace "$DEMO_NAMESPACE" --ignore-not-found --wait=false >/dev/null\n',
    [RECORDING_FILE]: recordingWithStepTimes([500, 500]),
  })
  let cb: TestBridge
  beforeAll(async () => {
    cb = await startBridge({ demosDir: cluster.dir, session: { typingDelayMs: 2 } })
  })
  afterAll(async () => {
    await cb.close()
    cluster.remove()
    execFileSync('kubectl', ['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'])
  })

  it('a pod whose image cannot be pulled: late, then failed with the ImagePullBackOff line', async () => {
    const c = await cb.join({ demo: id })
    const started = await c.waitForMessage(m => m.type === 'state' && (m.phase === 'running' || m.phase === 'failed'), 90_000) as State
    expect(started.detail).toBeUndefined()
    await c.waitForText(/\$ $/)
    c.send({ type: 'step' })
    await reaches(c, 0, 'done', 30_000)
    c.send({ type: 'step' })
    const late = await reaches(c, 1, 'late', 5000)
    expect(late.why).toMatch(/rehearsed 0\.5 s/)
    const failed = await reaches(c, 1, 'failed', 90_000)
    expect(failed.why).toBe('the screen shows /ImagePullBackOff|ErrImagePull|ErrImageNeverPull/')
    expect(failed.lines).toMatch(/^nope\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s/m)
    await c.close()
  }, 200_000)
})
