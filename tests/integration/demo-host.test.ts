/**
 * The demo host for real (DEMO_HOST=container): a real Docker engine, real ptys, the real demos.
 * The root demos' steps reach their expected output inside the privileged container (their
 * prompt says `demo-host:`), and once the session is over nothing of the demo host is left on
 * the Docker host: no container, no mount, no cgroup, no process. Over by its end, by its shell's
 * exit, by the server's Ctrl-C (SIGINT) and by the server killed outright (SIGKILL).
 * Runs only against the testbed's Docker engine (TESTBED_REGISTRY, set by `testbed env`, as CI
 * does): the tests never start containers on a developer's own engine.
 */
import type { ChildProcess } from 'node:child_process'
import type { ServerProcess } from './security/fixtures/server-process.ts'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_PATH } from '../../common/protocol.ts'
import { Bridge } from '../../server/bridge/bridge.ts'
import { DEMO_LABEL, SERVER_LABEL } from '../../server/demo-host/container.ts'
import { DEMO_HOST_IMAGE, demoHostImage } from '../../server/demo-host/image.ts'
import { loadDemo } from '../../server/demos/demos.ts'
import { judge, perform } from '../../server/rehearse/rehearse.ts'
import { serverProcess } from './security/fixtures/server-process.ts'
import { connect } from '../../dev/bridge-client.ts'
import { request } from '../../dev/http.ts'
import { waitFor } from '../../dev/wait.ts'

const FIXTURE = fileURLToPath(new URL('./security/fixtures/serve.ts', import.meta.url))
const DEMOS = ['same-kernel', 'container-from-scratch']
const started: ChildProcess[] = []
let before: string | undefined

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', timeout: 30_000 }).trim()
const ours = (demo: string) => docker('ps', '-aq', '--filter', `label=${DEMO_LABEL}=${demo}`).split('\n').filter(Boolean)

/** What a running demo host is on the Docker host: the traces to look for once it is gone. */
interface Traces { id: string, name: string, merged: string }
function traces(demo: string): Traces {
  const [id] = ours(demo)
  expect(id, `a demo-host container of ${demo} runs`).toBeTruthy()
  const [full, name, merged] = docker('inspect', '-f', '{{.Id}} {{.Name}} {{.GraphDriver.Data.MergedDir}}', id!).split(' ')
  return { id: full!, name: name!.replace(/^\//, ''), merged: merged! }
}

/** Everything of the demo host still on the Docker host (this machine): empty once it is gone. */
function left(t: Traces): string[] {
  const out: string[] = []
  if (docker('ps', '-aq', '--no-trunc', '--filter', `id=${t.id}`))
    out.push(`container ${t.id.slice(0, 12)}`)
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (line.includes(t.id) || (t.merged && line.includes(t.merged)))
      out.push(`mount ${line.split(' ')[4]}`)
  }
  // Its processes (in its cgroups, nested namespaces too) and its clients here (docker run, docker exec).
  for (const pid of readdirSync('/proc').filter(n => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(t.id) || (argv[0]?.endsWith('docker') && argv.includes(t.name)))
        out.push(`process ${pid} (${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()})`)
    }
    catch {} // gone meanwhile
  }
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory())
        continue
      const p = path.join(dir, e.name)
      if (e.name.includes(t.id))
        out.push(`cgroup ${p}`)
      else if (depth > 0)
        walk(p, depth - 1)
    }
  }
  walk('/sys/fs/cgroup', 4)
  return out
}

const ON_TESTBED = !!process.env.TESTBED_REGISTRY

describe.skipIf(!ON_TESTBED)('the demo host (DEMO_HOST=container)', () => {
  beforeAll(() => {
    before = process.env.DEMO_HOST
    process.env.DEMO_HOST = 'container'
    for (const demo of DEMOS)
      expect(ours(demo), `no demo host of ${demo} before the test`).toEqual([])
  })

  afterAll(() => {
    if (before === undefined)
      delete process.env.DEMO_HOST
    else
      process.env.DEMO_HOST = before
    for (const c of started) {
      if (c.exitCode === null && c.signalCode === null)
        c.kill('SIGKILL')
    }
    for (const demo of DEMOS) { // hygiene after a failure (one may be being removed already)
      for (const id of ours(demo)) {
        try {
          docker('rm', '-f', id)
        }
        catch {}
      }
    }
  })

  describe('the root demos in the demo host', () => {
    it.each(DEMOS)('%s: every step as rehearsed, in the container; then nothing of it is left', async (id) => {
      const demo = loadDemo(id)
      let seen: Traces | undefined
      const run = await perform(demo, {
        typingDelayMs: 5,
        onEvent: (e) => {
          if (e.kind === 'ready')
            seen = traces(id)
        },
      })
      const result = await judge(run, { record: false })
      expect(result.ok ? 'passed' : JSON.stringify(result.failure, null, 2)).toBe('passed')
      expect(run.cast.toString()).toContain(`demo-host:${id}# `)
      expect(run.cast.toString().split('\n')[0]).toContain('"DEMO_HOST":"container"')
      expect(seen).toBeDefined()
      expect(left(seen!)).toEqual([])
      expect(ours(id)).toEqual([])
    }, 240_000)
  })

  async function startServer(): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { env: { ...process.env, DEMO_HOST: 'container' }, stdio: ['ignore', 'pipe', 'pipe'] })
    started.push(child)
    return serverProcess(child)
  }

  /** A server with same-kernel live in its demo host, a containerized sleep running in it. */
  async function liveDemo() {
    const server = await startServer()
    const { body } = await request(server.port, TOKEN_PATH, { Host: `localhost:${server.port}` })
    const c = await connect(server.port, { token: (JSON.parse(body) as { token: string }).token, demo: 'same-kernel' })
    await c.waitForText(/demo-host:same-kernel# $/, 60_000)
    c.send({ type: 'input', data: 'cd /var/tmp/k8s-basics-talk/same-kernel && unshare --pid --fork --root=rootfs --mount-proc sleep 4242 &\r' })
    // The job's number and the prompt after it: nothing of the old shell arrives later.
    await c.waitForText(/\[1\] \d+[\s\S]*demo-host:same-kernel# $/, 10_000)
    const t = traces('same-kernel')
    // init, the lifeline, the shell, unshare, sleep, and here the clients of docker run and exec
    expect(left(t).filter(l => l.startsWith('process ')).length, 'what the session runs, found').toBeGreaterThanOrEqual(7)
    return { server, c, t }
  }

  describe('the session over, the demo host is gone', () => {
    it('when its shell exits', async () => {
      const { server, c, t } = await liveDemo()
      c.send({ type: 'input', data: 'exit\r' })
      await waitFor(() => left(t).length === 0, 'the demo host to go after the shell exited', 30_000)
      server.child.kill('SIGTERM')
      await server.exited
    }, 120_000)

    it('on R (reset): the old one is gone, a new one holds the fresh shell', async () => {
      const { server, c, t } = await liveDemo()
      const shown = c.text().length
      c.send({ type: 'reset' })
      await waitFor(() => left(t).length === 0, 'the old demo host to go on reset', 30_000)
      await waitFor(() => /demo-host:same-kernel# $/.test(c.text().slice(shown)), 'the fresh shell\'s prompt', 60_000)
      const fresh = traces('same-kernel')
      expect(fresh.id).not.toBe(t.id)
      server.child.kill('SIGTERM')
      await server.exited
      expect(left(fresh)).toEqual([])
    }, 120_000)

    it('when the server gets Ctrl-C (SIGINT): gone before it exits', async () => {
      const { server, t } = await liveDemo()
      server.child.kill('SIGINT')
      expect((await server.exited).code).toBe(130)
      expect(left(t)).toEqual([])
    }, 120_000)

    it('when the server is killed (SIGKILL): its lifeline ends the container', async () => {
      const { server, t } = await liveDemo()
      server.child.kill('SIGKILL')
      await server.exited
      await waitFor(() => left(t).length === 0, 'the demo host to go after its server was killed', 30_000)
    }, 120_000)
  })

  describe('a demo host a dead server left (the engine was away when it died)', () => {
    it('is removed when the next bridge starts, and logged; a live server\'s is not', async () => {
      expect(await demoHostImage()).toEqual({ ok: true, image: DEMO_HOST_IMAGE })
      const dead = spawnSync('true').pid!
      const label = (pid: number) => `${SERVER_LABEL}=${os.hostname()}/${pid}`
      const stale = `live-terminal-demo-host-same-kernel-stale-${dead}`
      const live = `live-terminal-demo-host-same-kernel-live-${process.pid}`
      for (const [name, pid] of [[stale, dead], [live, process.pid]] as const)
        docker('run', '-d', '--name', name, '--label', `${DEMO_LABEL}=same-kernel`, '--label', label(pid), '--network', 'none', DEMO_HOST_IMAGE, 'sleep', '600')
      const lines: string[] = []
      const bridge = new Bridge({ log: line => lines.push(line) })
      try {
        await waitFor(() => lines.some(l => l.includes(stale)), 'the sweep to log the stale demo host', 20_000)
        expect(lines).toContain(`removed the demo host ${stale} left by an earlier server (pid ${dead}, now gone)`)
        expect(ours('same-kernel').length).toBe(1)
        expect(docker('inspect', '-f', '{{.State.Running}}', live)).toBe('true')
      }
      finally {
        await bridge.close()
        docker('rm', '-f', live)
      }
    }, 60_000)
  })
})
