/** `npm run doctor` on this machine, with the cluster and Docker taken away by environment. */
import { execFile } from 'node:child_process'
import { describe, expect, it } from 'vitest'

function doctor(env: Record<string, string>): Promise<{ code: number, out: string }> {
  return new Promise((resolve) => {
    execFile('./node_modules/.bin/tsx', ['server/cli/doctor.ts'], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr })
    })
  })
}

describe('doctor', () => {
  it('says what is missing, with the fix, and fails when a demo cannot run', async () => {
    const { code, out } = await doctor({
      KUBECONFIG: '/nonexistent/doctor-test/kubeconfig',
      DOCKER_HOST: 'unix:///nonexistent/doctor-test/docker.sock',
    })
    expect(code).toBe(1)
    expect(out).toMatch(/^✗ Docker +Docker daemon not reachable/m)
    expect(out).toMatch(/→ start Docker/)
    expect(out).toMatch(/^✗ demo docker-basics +needs docker/m)
    expect(out).toMatch(/^✗ demo k8s-deploy +needs kubectl, docker/m)
    expect(out).toMatch(/^[✓✗] demo shell /m)
    expect(out).toMatch(/demo\(s\) cannot run live here; their slides show the recording/)
  })

  it('says for each demo where it runs and why: the root demos follow DEMO_HOST, the others run here', async () => {
    const away = { KUBECONFIG: '/nonexistent/doctor-test/kubeconfig' }
    const inContainer = await doctor({ ...away, DEMO_HOST: 'container', DOCKER_HOST: 'unix:///nonexistent/doctor-test/docker.sock' })
    expect(inContainer.out).toMatch(/^✗ demo same-kernel +needs root, in the demo host container \(DEMO_HOST=container\)/m)
    expect(inContainer.out).toMatch(/^ +→ .*run the deck as root on Linux with DEMO_HOST=host/m)
    expect(inContainer.out).toMatch(/^✗ demo host \(DEMO_HOST\) +the root demos run in a privileged container \(DEMO_HOST=container\), which needs Docker/m)
    expect(inContainer.out).toMatch(/^✓ demo shell +ready, on this machine \(needs no root\)/m)
    const onHost = await doctor({ ...away, DEMO_HOST: 'host' })
    expect(onHost.out).toMatch(/^[✓✗] demo container-from-scratch +.*on this machine \(DEMO_HOST=host\)/m)
    const wrong = await doctor({ ...away, DEMO_HOST: 'vm' })
    expect(wrong.out).toMatch(/^✗ demo same-kernel +DEMO_HOST=vm: expected auto, host, container/m)
    expect(wrong.code).toBe(1)
  })
})
