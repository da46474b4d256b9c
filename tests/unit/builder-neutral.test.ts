// Issue 19: the demos run on current Docker (BuildKit, the default since Engine 23 and in Docker
// Desktop) as well as on the legacy builder. So no expectation waits for what only the legacy
// builder prints, and no step hides a build's output (BuildKit writes its progress to stderr).
import { describe, expect, it } from 'vitest'
import { DEMOS_DIR, listDemoIds, loadDemo } from '../../server/demos/demos.ts'

// What the legacy builder prints and BuildKit never does.
const LEGACY_ONLY = [
  'Successfully tagged',
  'Successfully built',
  'Step 1/8',
  'Removing intermediate container',
  'Running in',
  'Sending build context',
  '--->',
]
// Step N/M is the legacy builder's numbering, whatever N and M.
const LEGACY_STEP = /Step\s*(?:\\d\+|\d+)\s*\/\s*(?:\\d\+|\d+)/

const BUILD = /\bdocker\s+(?:image\s+|buildx\s+)?build\b/
const TO_DEV_NULL = /(?:[12&]?>>?|&>)\s*\/dev\/null/

const steps = listDemoIds(DEMOS_DIR).flatMap(id => loadDemo(id, DEMOS_DIR).steps.map((step, i) => ({ where: `${id} step ${i + 1}`, step })))

describe('the demos are builder-neutral', () => {
  it('finds the demos and their build step', () => {
    expect(steps.some(s => BUILD.test(s.step.type)), 'a demo step runs docker build').toBe(true)
  })

  it('no expectation contains wording only the legacy builder prints', () => {
    for (const { where, step } of steps) {
      for (const words of LEGACY_ONLY)
        expect(step.expect ?? '', `${where}: ${words}`).not.toContain(words)
      expect(step.expect ?? '', where).not.toMatch(LEGACY_STEP)
    }
  })

  it('no step sends a build\'s output to /dev/null', () => {
    for (const { where, step } of steps.filter(s => BUILD.test(s.step.type)))
      expect(step.type, where).not.toMatch(TO_DEV_NULL)
  })

  it('control: the checks catch the step the issue found', () => {
    const old = { type: 'docker build --no-cache -t k8s-basics/pay:v1 pay-image 2>/dev/null', expect: 'Successfully tagged k8s-basics/pay:v1' }
    expect(BUILD.test(old.type) && TO_DEV_NULL.test(old.type)).toBe(true)
    expect(LEGACY_ONLY.some(w => old.expect.includes(w))).toBe(true)
    expect(LEGACY_STEP.test('Step \\d+/\\d+ : COPY')).toBe(true)
  })
})
