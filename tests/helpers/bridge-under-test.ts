/**
 * The bridge the integration tests run against: the real standalone bridge with its log captured,
 * or, with LT_BRIDGE=naive, the naive bridge every security test must catch (tests/naive,
 * `npm run test:naive`).
 */
import type { ConnectOptions, TestClient } from '../../dev/bridge-client.ts'
import type { Bridge, BridgeOptions } from '../../server/bridge/bridge.ts'
import { expect } from 'vitest'
import { connect } from '../../dev/bridge-client.ts'
import { startStandalone } from '../../server/bridge/standalone.ts'
import { startNaive } from '../naive/bridge.ts'
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
