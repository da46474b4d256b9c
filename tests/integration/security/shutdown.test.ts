/**
 * SIGTERM / SIGINT to a real server process (tsx running startStandalone + closeOnShutdown) with
 * sessions open: every session's processes are gone by the time the process has exited.
 */
import type { ChildProcess } from 'node:child_process'
import type { ServerProcess } from './fixtures/server-process.ts'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { CloseCode, TOKEN_PATH } from '../../../common/protocol.ts'
import { descendants, procsWithEnv, procsWithEnvPrefix, readProc } from '../../helpers/procs.ts'
import { serverProcess } from './fixtures/server-process.ts'
import { connect } from '../../../dev/bridge-client.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { request } from '../../../dev/http.ts'
import { waitFor } from '../../../dev/wait.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/serve.ts', import.meta.url))
const demos = tinyDemos(['d1', 'd2'])
const started: ChildProcess[] = []

const RUN = Math.random().toString(36).slice(2, 8)

afterAll(() => {
  for (const c of started) {
    if (c.exitCode === null && c.signalCode === null)
      c.kill('SIGKILL')
  }
  // Hygiene after a failure: whatever this file's shells started carries LT_SD=…-RUN.
  for (const p of procsWithEnvPrefix(`LT_SD=`).filter(p => p.entry.endsWith(RUN)))
    process.kill(p.pid, 'SIGKILL')
  demos.remove()
})

async function startServer(how: 'tsx' | 'node'): Promise<ServerProcess> {
  const [cmd, args] = how === 'tsx'
    ? [path.join(ROOT, 'node_modules/.bin/tsx'), [FIXTURE]]
    : [process.execPath, ['--import', 'tsx', FIXTURE]]
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, LT_DEMOS_DIR: demos.dir }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  return serverProcess(child)
}

/** Opens a session per demo and starts a stubborn mix of jobs in each; returns their pids. */
async function busySessions(s: ServerProcess, mark: string) {
  const { body } = await request(s.port, TOKEN_PATH, { Host: `localhost:${s.port}` })
  const token = (JSON.parse(body) as { token: string }).token
  const clients = []
  for (const demo of ['d1', 'd2']) {
    const c = await connect(s.port, { token, demo })
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: `export LT_SD=${mark}-${demo}-${RUN}; sleep 999 & nohup sleep 998 >/dev/null 2>&1 & (trap "" HUP TERM INT; exec sleep 997) & setsid -f sleep 996; tail -f /dev/null\r` })
    clients.push(c)
  }
  await waitFor(() => ['d1', 'd2'].every(d => procsWithEnv(`LT_SD=${mark}-${d}-${RUN}`).length === 5), 'every job to start', 5000)
  const shells = descendants(s.child.pid!).filter(p => p.comm === 'bash').map(p => p.pid)
  expect(shells).toHaveLength(2)
  const jobs = ['d1', 'd2'].flatMap(d => procsWithEnv(`LT_SD=${mark}-${d}-${RUN}`).map(p => p.pid))
  return { clients, pids: [...shells, ...jobs] }
}

/** Alive = in /proc and not a zombie (a zombie is dead; only its parent's bookkeeping is left). */
const aliveOf = (pids: number[]) => pids.filter(pid => (readProc(pid)?.state ?? 'Z') !== 'Z')

describe('shutdown on a signal', () => {
  it.each([
    ['SIGTERM', 'tsx', 143],
    ['SIGINT', 'tsx', 130],
    ['SIGTERM', 'node', 143],
    ['SIGINT', 'node', 130],
  ] as const)('%s to a %s-run server: every session\'s processes are gone before it exits', async (signal, how, exitCode) => {
    const s = await startServer(how)
    const { clients, pids } = await busySessions(s, `${signal}-${how}`)
    expect(aliveOf(pids)).toHaveLength(pids.length)
    s.child.kill(signal)
    const exit = await s.exited
    // Checked the moment the exit is known: nothing may still run.
    const aliveAtExit = aliveOf(pids)
    expect(aliveAtExit).toEqual([])
    expect(exit.code).toBe(exitCode)
    for (const c of clients)
      expect((await c.closedWithin()).code).toBe(CloseCode.goingAway)
    expect(s.stderr()).toMatch(/session d1 ended/)
    expect(s.stderr()).toMatch(/session d2 ended/)
  })

  it('a second Ctrl-C while closing still leaves nothing behind (plain node)', async () => {
    const s = await startServer('node')
    const { pids } = await busySessions(s, 'double')
    s.child.kill('SIGINT')
    await new Promise(r => setTimeout(r, 30))
    s.child.kill('SIGINT')
    const exit = await s.exited
    expect(aliveOf(pids)).toEqual([])
    expect(exit.signal === null ? exit.code : exit.signal).toBe(130)
  })
})
