/**
 * Both ends of a terminal bridge for the Node-side measurements: `startHost` runs the full
 * bridge or the raw baseline in its own process (bench/server-host.ts), `openTerminal` is a
 * client that speaks to either and acknowledges output the way the browser does (batched
 * per 8 KiB or 30 ms, as client/connection.ts), without rendering it.
 */
import type { HostCounters } from './pty-experiments.ts'
import type { HostOptions } from './server-host.ts'
import type { Child } from './lib.ts'
import path from 'node:path'
import WebSocket from 'ws'
import { BRIDGE_PATH, encode } from '../common/protocol.ts'
import { BENCH_DIR, startChild, waitFor, withTimeout } from './lib.ts'

export type BridgeKind = 'full' | 'raw'

export interface Host extends Child {
  kind: BridgeKind
  port: number
  token: string
}

/** Starts a bridge process; `nodeArgs` e.g. ['--cpu-prof', '--cpu-prof-dir=…'] for profiling. */
export async function startHost(kind: BridgeKind, options: HostOptions = {}, nodeArgs: string[] = []): Promise<Host> {
  const child = startChild(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(BENCH_DIR, 'server-host.ts'), kind, JSON.stringify(options)])
  const line = await waitFor(() => /^READY (.*)$/m.exec(child.output())?.[1] ?? (child.proc.exitCode !== null ? (() => {
    throw new Error(`bridge host exited:\n${child.output()}`)
  })() : undefined), `the ${kind} bridge to start`, 30_000, 20)
  const { port, token } = JSON.parse(line) as { port: number, token: string }
  return { ...child, kind, port, token }
}

/** Asks a host started with `counters: true` for its pty counters (SIGUSR2). */
export async function readCounters(host: Host): Promise<HostCounters> {
  const seen = () => host.output().match(/^COUNTERS .*$/gm) ?? []
  const before = seen().length
  process.kill(host.pid, 'SIGUSR2')
  const line = await waitFor(() => seen().length > before ? seen().at(-1) : undefined, 'counters from the bridge host', 5_000, 10)
  return JSON.parse(line.slice('COUNTERS '.length)) as HostCounters
}

const ACK_BATCH = 8 * 1024
const ACK_DELAY_MS = 30

export interface Terminal {
  kind: BridgeKind
  ws: WebSocket
  /** Bytes and binary frames received, acks sent. */
  stats: { bytes: number, frames: number, acks: number }
  /** The last few KiB of output, decoded. */
  tail: () => string
  /** Called with every output chunk (after the counters were updated). */
  onData: ((b: Buffer) => void) | undefined
  type: (data: string) => void
  /** With `manualAck`: report bytes as rendered (acked in batches like the browser). */
  rendered: (n: number) => void
  waitForTail: (re: RegExp, ms?: number) => Promise<void>
  close: () => Promise<void>
}

export interface OpenOptions {
  demo?: string
  /** Ack only what `rendered` reports, not every chunk on arrival. */
  manualAck?: boolean
}

export async function openTerminal(host: Host, opts: OpenOptions = {}): Promise<Terminal> {
  const demo = opts.demo ?? 'shell'
  const origin = `http://localhost:${host.port}`
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}`, {
    headers: { Origin: origin, Host: `localhost:${host.port}` },
    perMessageDeflate: false,
  })
  let tail: Buffer = Buffer.alloc(0)
  let pendingAck = 0
  let ackTimer: NodeJS.Timeout | undefined
  const waiters = new Set<() => void>()
  const flushAck = () => {
    clearTimeout(ackTimer)
    ackTimer = undefined
    if (pendingAck > 0 && ws.readyState === ws.OPEN) {
      ws.send(encode({ type: 'ack', bytes: pendingAck }))
      t.stats.acks++
    }
    pendingAck = 0
  }
  const rendered = (n: number) => {
    if (host.kind !== 'full')
      return // the raw bridge has no flow control (and would type an ack into the shell)
    pendingAck += n
    if (pendingAck >= ACK_BATCH)
      flushAck()
    else
      ackTimer ??= setTimeout(flushAck, ACK_DELAY_MS)
  }
  const t: Terminal = {
    kind: host.kind,
    ws,
    stats: { bytes: 0, frames: 0, acks: 0 },
    tail: () => tail.toString('utf8'),
    onData: undefined,
    rendered,
    type: data => ws.send(host.kind === 'full' ? encode({ type: 'input', data }) : data),
    waitForTail: (re, ms = 10_000) => withTimeout(new Promise<void>((resolve) => {
      const check = () => {
        if (re.test(t.tail())) {
          waiters.delete(check)
          resolve()
        }
      }
      waiters.add(check)
      check()
    }), ms, `${re} from the ${host.kind} bridge; got ${JSON.stringify(t.tail().slice(-200))}`),
    close: async () => {
      clearTimeout(ackTimer)
      if (ws.readyState === ws.CLOSED)
        return
      const closed = new Promise(r => ws.once('close', r))
      ws.close()
      await withTimeout(closed, 5_000, 'socket close').catch(() => ws.terminate())
    },
  }
  ws.on('message', (data, isBinary) => {
    if (!isBinary)
      return // JSON messages (ready, state) carry no output
    const b = data as Buffer
    t.stats.bytes += b.length
    t.stats.frames++
    tail = b.length >= 4096 ? b.subarray(-4096) : Buffer.concat([tail, b]).subarray(-4096)
    t.onData?.(b)
    if (!opts.manualAck)
      rendered(b.length)
    for (const w of [...waiters]) w()
  })
  await withTimeout(new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  }), 10_000, `connecting to the ${host.kind} bridge`)
  if (host.kind === 'full')
    ws.send(encode({ type: 'hello', v: 1, token: host.token, demo, role: 'control' }))
  return t
}

/** Waits for the shell's prompt at the end of the output. */
export function waitForPrompt(t: Terminal, ms = 15_000): Promise<void> {
  return t.waitForTail(/\$ $/, ms)
}
