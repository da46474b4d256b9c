/**
 * Nothing survives a crash: a real server process (node running startStandalone) is killed with
 * SIGKILL while a demo's shell has started an escapee (`setsid nohup sleep`, out of the shell's
 * session, immune to its hangup). The next server to start kills what is left in the dead one's
 * session groups, and says so in its log. Under both cgroup methods: the default (v2 where it
 * works) and the v1 freezer.
 */
import type { ChildProcess } from 'node:child_process'
import type { ServerProcess } from './fixtures/server-process.ts'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { TOKEN_PATH } from '../../../common/protocol.ts'
import { procsWithEnvPrefix } from '../../helpers/procs.ts'
import { serverProcess } from './fixtures/server-process.ts'
import { connect } from '../../../dev/bridge-client.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { request } from '../../../dev/http.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'

const FIXTURE = fileURLToPath(new URL('./fixtures/serve.ts', import.meta.url))
const demos = tinyDemos(['crash'])
const started: ChildProcess[] = []
const RUN = Math.random().toString(36).slice(2, 8)
/**
 * The servers run in cgroups of this test's own, so that no other server starting meanwhile on
 * this machine (another test file, another deck) sweeps the dead server's groups before ours does.
 */
const HOME_GROUPS = readFileSync('/proc/self/mounts', 'utf8').split('\n').map(l => l.split(' '))
  .filter(f => f[2] === 'cgroup2' || (f[2] === 'cgroup' && f[3]!.split(',').includes('freezer')))
  .map(f => path.join(f[1]!, `lt-crash-test-${RUN}`))
const escapees = (mark: string) => procsWithEnvPrefix('LT_CRASH=').filter(p => p.entry === `LT_CRASH=${mark}` && p.state !== 'Z')

afterAll(async () => {
  for (const c of started) {
    if (c.exitCode === null && c.signalCode === null)
      c.kill('SIGTERM')
  }
  await sleep(500)
  for (const p of procsWithEnvPrefix('LT_CRASH=').filter(p => p.entry.endsWith(RUN)))
    process.kill(p.pid, 'SIGKILL') // hygiene after a failure
  demos.remove()
  // The groups, deepest first (a failed run leaves the dead server's behind); the kernel may
  // take a moment to let go of a process that just exited.
  const left = () => HOME_GROUPS.flatMap(dir => readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isDirectory()).map(e => path.join(e.parentPath, e.name)).reverse().concat(dir))
  await waitFor(() => {
    for (const dir of left().filter(existsSync)) {
      try {
        rmdirSync(dir)
      }
      catch {}
    }
    return !HOME_GROUPS.some(existsSync)
  }, 'the test\'s cgroups to be removed', 5000)
})

/** node (not tsx, which would run the server in a child of its own) with the fixture. */
async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  HOME_GROUPS.forEach(dir => mkdirSync(dir, { recursive: true }))
  const enter = 'for g in "$@"; do echo $$ > "$g/cgroup.procs" || exit 125; done; exec "$0" --import tsx "$FIXTURE"'
  const child = spawn('/bin/sh', ['-c', enter, process.execPath, ...HOME_GROUPS], { env: { ...process.env, ...env, FIXTURE, LT_DEMOS_DIR: demos.dir }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  return serverProcess(child)
}

describe('a server killed with SIGKILL', () => {
  it.each([['default', {}], ['v1 freezer', { LT_CGROUP: 'v1' }]] as const)('%s: the next server kills the escapee the dead one left, and logs it', async (_mode, env) => {
    const mark = `${_mode.replace(/\W/g, '')}-${RUN}`
    const first = await startServer(env)
    const { body } = await request(first.port, TOKEN_PATH, { Host: `localhost:${first.port}` })
    const c = await connect(first.port, { token: (JSON.parse(body) as { token: string }).token, demo: 'crash' })
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: `export LT_CRASH=${mark}; setsid nohup sleep 1997 >/dev/null 2>&1 & echo escaped-$((4*5))\r` })
    await c.waitForText(/^escaped-20/m)
    await waitFor(() => escapees(mark).length === 1, 'the escapee to run', 5000)
    const [escapee] = escapees(mark)

    first.child.kill('SIGKILL')
    await first.exited
    await c.closed
    await sleep(1000)
    expect(escapees(mark).map(p => p.pid)).toEqual([escapee!.pid]) // it did outlive its server

    const second = await startServer(env)
    await waitFor(() => escapees(mark).length === 0, 'the escapee to be killed', 10_000)
    expect(second.stderr()).toMatch(new RegExp(`killed 1 process\\(es\\) left running by an earlier server \\(pid ${first.child.pid}, now gone\\) in live-terminal\\.${first.child.pid}/crash-[0-9a-f]+: sleep \\(${escapee!.pid}\\)`))
    second.child.kill('SIGTERM')
    await second.exited
  })
})
