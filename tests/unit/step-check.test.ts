/**
 * "The step is done" has one rule, read on the rendered screen (server/session/step-check.ts):
 * the stage's typer and rehearsal both apply it. Here it is held against what a terminal shows,
 * and against every committed recording: each step the rehearsal recorded is done by the rule
 * the deck applies on stage, on the same screen.
 */
import { describe, expect, it } from 'vitest'
import { outputBetween } from '../../client/cast-steps.ts'
import { markedStep } from '../../common/asciicast.ts'
import { listDemoIds, loadDemo, DEMOS_DIR } from '../../server/demos/demos.ts'
import { Screen } from '../../server/session/screen.ts'
import { isDone, stepJudge } from '../../server/session/step-check.ts'
import { readCast } from '../e2e/recorded-screen.ts'

async function judgeAfter(before: string, printed: string, prompt: string, expect?: string, fail?: { demo?: string, step?: string }) {
  const screen = new Screen(80, 24)
  screen.write(Buffer.from(before))
  await screen.settled()
  const from = screen.markCursorLine()
  screen.write(Buffer.from(printed))
  await screen.settled()
  const outcome = stepJudge({ prompt, fail: fail?.demo }, { expect, fail: fail?.step })(screen.textAfter(from))
  screen.dispose()
  return outcome
}

describe('the step rule, on the screen the audience sees', () => {
  it('is done when the expected output and then the prompt are on screen', async () => {
    expect(await judgeAfter('$ ', 'echo hi\r\nhi\r\n$ ', '\\$ $', '^hi$')).toEqual({ promptBack: true, expected: true, failed: false })
  })

  it('is not done while the command runs, nor when the prompt is back without the expected output', async () => {
    expect(await judgeAfter('$ ', 'sleep 9\r\n', '\\$ $', 'done')).toEqual({ promptBack: false, expected: false, failed: false })
    expect(await judgeAfter('$ ', 'false\r\n$ ', '\\$ $', 'done')).toEqual({ promptBack: true, expected: false, failed: false })
  })

  it('reads text as it finally shows: a line overwritten with \\r or erased does not count', async () => {
    // A progress line drawn, then redrawn over itself, then erased: only the final screen counts.
    expect(await judgeAfter('$ ', 'pull\r\nDownloading 10%\rComplete      \r\n$ ', '\\$ $', 'Downloading')).toMatchObject({ expected: false })
    expect(await judgeAfter('$ ', 'pull\r\nDownloading 10%\rComplete      \r\n$ ', '\\$ $', '^Complete')).toMatchObject({ expected: true })
    expect(await judgeAfter('$ ', 'x\r\nError: oops\r\x1b[2K\r\n$ ', '\\$ $', 'Error')).toMatchObject({ expected: false })
  })

  it('fails on its fail pattern (the demo\'s when the step has none), on screen, not in the bytes', async () => {
    const watch = 'kubectl get pod x -w\r\nx   0/1   ContainerCreating\r\nx   0/1   ErrImagePull\r\n'
    const byDemo = await judgeAfter('$ ', watch, '\\$ $', 'Running', { demo: 'ImagePullBackOff|ErrImagePull' })
    expect(byDemo).toEqual({ promptBack: false, expected: false, failed: true })
    expect(isDone({ ...byDemo, promptBack: true, expected: true })).toBe(false)
    // The step's own pattern replaces the demo's: here ErrImagePull is what the step shows on purpose.
    expect(await judgeAfter('$ ', watch, '\\$ $', 'ErrImagePull', { demo: 'ErrImagePull', step: 'CrashLoopBackOff' })).toMatchObject({ failed: false, expected: true })
    // Erased before the screen settles: not on screen, so not failed.
    expect(await judgeAfter('$ ', 'x\r\nErrImagePull\r\x1b[2K\r\n', '\\$ $', undefined, { demo: 'ErrImagePull' })).toMatchObject({ failed: false })
  })

  it('does not take the typed command line for its output', async () => {
    // The line the step is typed on is not what it printed: a command that names its expectation.
    expect(await judgeAfter('$ ', 'echo ready; sleep 9\r\n', '\\$ $', 'echo ready')).toEqual({ promptBack: false, expected: false, failed: false })
  })
})

describe.each(listDemoIds(DEMOS_DIR).map(id => [id]))('the recording of %s', (id) => {
  it('has every step done by the stage\'s rule on its own screen', async () => {
    const demo = loadDemo(id, DEMOS_DIR)
    const cast = readCast(id)
    const marked = cast.events.filter(e => e[1] === 'm' && markedStep(e[2]) !== undefined).length
    expect(marked, 'a marker per step').toBe(demo.steps.length)
    const screen = new Screen(cast.header.width, cast.header.height)
    const segment = (n: number) => Buffer.from(outputBetween(cast, n, n + 1).map(e => e[1]).join(''))
    screen.write(segment(0)) // setup, up to the first step's marker
    const verdicts: string[] = []
    for (const [k, step] of demo.steps.entries()) {
      await screen.settled()
      const from = screen.markCursorLine()
      screen.write(segment(k + 1)) // what step k+1 printed, up to the next marker
      await screen.settled()
      const outcome = stepJudge(demo, step)(screen.textAfter(from))
      verdicts.push(isDone(outcome) ? 'done' : `step ${k + 1} (${step.type}): ${JSON.stringify(outcome)}`)
    }
    screen.dispose()
    expect(verdicts).toEqual(demo.steps.map(() => 'done'))
  })
})
