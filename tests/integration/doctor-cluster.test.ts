/**
 * doctor's cluster checks against the real cluster of the environment (CI: the k8s-testbed, after
 * `eval "$(testbed env)"`): which path images take, whether the registry answers, whether the
 * nodes pull from it. Runs only against the testbed (TESTBED_REGISTRY set by `testbed env`): a
 * developer's own current context is never touched by the tests.
 */
import { execFile, execFileSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { readyNodes } from '../../server/demos/cluster-checks.ts'

function doctor(env: Record<string, string | undefined>): Promise<string> {
  return new Promise((resolve) => {
    execFile('./node_modules/.bin/tsx', ['server/cli/doctor.ts'], { env: { ...process.env, DEMO_CLUSTER: undefined, ...env } as NodeJS.ProcessEnv, timeout: 170_000 }, (_err, stdout, stderr) => {
      resolve(stdout + stderr)
    })
  })
}

const registry = process.env.TESTBED_REGISTRY
const nodes = registry ? await readyNodes() : []

describe.skipIf(nodes.length === 0)('doctor on a real cluster', () => {
  it('without DEMO_REGISTRY: one node shares this engine\'s images; several nodes need a registry, and the Kubernetes demos are unmet', async () => {
    const out = await doctor({ DEMO_REGISTRY: undefined })
    if (nodes.length === 1) {
      expect(out).toMatch(/^✓ image path +the cluster runs on this Docker engine/m)
    }
    else {
      expect(out).toMatch(/^✗ image path +cannot tell how to get images into the cluster/m)
      expect(out).toMatch(/→ a cluster that cannot see this machine's images needs a registry: set DEMO_REGISTRY/)
      expect(out).toMatch(/^✗ demo k8s-deploy +needs k8s-images/m)
    }
    expect(out).not.toMatch(/^. registry /m)
  }, 180_000)

  it('with a DEMO_REGISTRY where nothing listens (127.0.0.1:3319): the registry line fails with its fix, and so do the demos', async () => {
    const out = await doctor({ DEMO_REGISTRY: '127.0.0.1:3319' })
    expect(out).toMatch(/^✓ image path +pushed to DEMO_REGISTRY=127\.0\.0\.1:3319, pulled by digest/m)
    expect(out).toMatch(/^✗ registry +http:\/\/127\.0\.0\.1:3319\/v2\/ does not answer \(ECONNREFUSED\)/m)
    expect(out).toMatch(/→ start the registry or correct DEMO_REGISTRY=127\.0\.0\.1:3319/)
    expect(out).toMatch(/^✗ demo k8s-deploy +needs k8s-images/m)
  }, 180_000)

  describe.skipIf(!registry)('with the testbed registry', () => {
    beforeAll(() => {
      // The pull check runs the pushed toolbox image: push the demo images as a demo's setup does.
      execFileSync('bash', ['demos/_k8s/images.sh'], { env: { ...process.env, DEMO_REGISTRY: registry }, stdio: 'ignore', timeout: 170_000 })
    }, 180_000)

    it('the registry answers and every node pulls from it', async () => {
      const out = await doctor({ DEMO_REGISTRY: registry })
      expect(out).toMatch(/^✓ registry +http:\/\/127\.0\.0\.1:\d+\/v2\/ answers \((?:200|401)\)/m)
      const pulled = out.match(/^✓ nodes pull +(.+) pulled \S+\/k8s-basics\/toolbox@sha256:/m)
      expect(pulled, out).not.toBeNull()
      expect(pulled![1]!.split(', ').sort()).toEqual(nodes.slice(0, 3).sort())
      expect(out).toMatch(/^✓ demo k8s-deploy /m)
    }, 180_000)
  })
})
