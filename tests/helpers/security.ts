/**
 * Shared setup for the security tests: a real standalone bridge with its log captured, or, with
 * LT_BRIDGE=naive, the naive bridge they must all catch (tests/naive, `npm run test:naive`).
 */
import type { ConnectOptions, TestClient } from './test-client.ts'
import type { Bridge, BridgeOptions } from '../../server/bridge/bridge.ts'
import http from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, vi } from 'vitest'
import { startStandalone } from '../../server/bridge/standalone.ts'
import { startNaive } from '../naive/bridge.ts'
import { connect } from './test-client.ts'
import { bashDescendants } from './procs.ts'

/** What the tests see of a server: its port, and the bridge's own account of its state. */
export interface ServerUnderTest {
  bridge: Pick<Bridge, 'token' | 'sessionInfo' | 'connectionInfo'>
  port: number
  close: () => Promise<void>
}

const NAIVE = process.env.LT_BRIDGE === 'naive'

export interface TestBridge {
  server: ServerUnderTest
  port: number
  token: string
  logs: string[]
  /** Connects with the right Origin, Host and token unless told otherwise. */
  join: (o?: ConnectOptions) => Promise<TestClient>
  close: () => Promise<void>
}

/**
 * How long the tests' sessions outlive their last window: short, so a test that closes its
 * windows sees the session end soon after (tests of the grace itself set their own).
 */
export const TEST_GRACE_MS = 200

export async function startBridge(options: BridgeOptions = {}): Promise<TestBridge> {
  const logs: string[] = []
  const withGrace = { ...options, session: { graceMs: TEST_GRACE_MS, ...options.session } }
  const server: ServerUnderTest = NAIVE ? await startNaive(withGrace) : await startStandalone({ ...withGrace, log: line => logs.push(line) })
  return {
    server,
    port: server.port,
    token: server.bridge.token,
    logs,
    join: o => connect(server.port, { token: server.bridge.token, ...o }),
    close: () => server.close(),
  }
}

/** The upgrade is refused: resolves with the HTTP status (fails if it was accepted). */
export async function refusedStatus(p: Promise<TestClient>): Promise<number> {
  try {
    const c = await p
    await c.close()
  }
  catch (err) {
    return (err as { status?: number }).status ?? -1
  }
  throw new Error('the upgrade was accepted')
}

/** Nothing was spawned: no session in the registry, no shell among this process's children. */
export function expectNoSpawn(b: TestBridge, logsFrom = 0): void {
  expect(b.server.bridge.sessionInfo()).toEqual([])
  expect(bashDescendants().map(p => `${p.pid} ${p.comm} ${p.state}`)).toEqual([])
  expect(b.logs.slice(logsFrom).filter(l => /session .* started/.test(l))).toEqual([])
}

export interface HttpResult { status: number, headers: http.IncomingHttpHeaders, body: string }

/** A plain HTTP request to the bridge's server with exactly the headers given. */
export function request(port: number, urlPath: string, headers: Record<string, string>, o: { method?: string, address?: string } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: o.address ?? '127.0.0.1', port, path: urlPath, method: o.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A demos folder under the OS temp dir with one tiny bash demo per id; removed by the returned function. */
export function tinyDemos(ids: string[], extra: Record<string, string> = {}): { dir: string, remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'live-terminal-sec-'))
  for (const id of ids) {
    mkdirSync(path.join(dir, id))
    writeFileSync(path.join(dir, id, 'demo.yaml'), extra[id] ?? `title: tiny ${id}\nsteps:\n  - type: echo tiny-${id}\n`)
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Unhandled rejections and exceptions while a test file runs: none may happen. */
export function collectUnhandled() {
  const errors: unknown[] = []
  const record = (err: unknown) => errors.push(err)
  return {
    errors,
    start() {
      process.on('unhandledRejection', record)
      process.on('uncaughtException', record)
    },
    stop() {
      process.off('unhandledRejection', record)
      process.off('uncaughtException', record)
    },
  }
}

/**
 * node-pty's reports of keystrokes written to a pty that is gone ("Unhandled pty write error",
 * on console.error), counted from now until `restore()`.
 */
export function watchPtyWriteErrors() {
  const spy = vi.spyOn(console, 'error')
  return {
    count: () => spy.mock.calls.filter(a => String(a[0]).includes('pty write error')).length,
    restore: () => spy.mockRestore(),
  }
}
