/**
 * Both ends of a terminal bridge for the Node-side measurements: `startHost` runs the full
 * bridge (with follow mode beside it, or not) or the raw baseline in its own process (bench/server-host.ts), `openTerminal` is a
 * client that speaks to either and acknowledges output the way the browser does
 * (common/ack.ts), without rendering it.
 */
import type { Child } from './processes.ts'
import path from 'node:path'
import WebSocket from 'ws'
import { z } from 'zod'
import { ackBatcher } from '../common/ack.ts'
import { BRIDGE_PATH, encode, PROTOCOL_VERSION } from '../common/protocol.ts'
import { BENCH_DIR } from './lib.ts'
import { startChild } from './processes.ts'
import { waitFor, within } from '../dev/wait.ts'

/** `follow`: the full bridge with follow mode beside it (bench/follow.ts). */
export type BridgeKind = 'full' | 'raw' | 'follow'

export interface Host extends Child {
  kind: BridgeKind
  port: number
  token: string
  /** With kind `follow`: the follow listener's port and code. */
  follow?: { port: number, code: string }
}

/** What bench/server-host.ts prints once it serves. */
const READY = z.object({ port: z.number().int().positive(), token: z.string(), follow: z.object({ port: z.number().int().positive(), code: z.string() }).optional() })

/** Starts a bridge in its own process (bench/server-host.ts). */
export async function startHost(kind: BridgeKind): Promise<Host> {
  const child = startChild(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'server-host.ts'), kind])
  const line = await waitFor(() => /^READY (.*)$/m.exec(child.output())?.[1] ?? (child.proc.exitCode !== null ? (() => {
    throw new Error(`bridge host exited:\n${child.output()}`)
  })() : undefined), `the ${kind} bridge to start`, 30_000, 20)
  const { port, token, follow } = READY.parse(JSON.parse(line))
  return { ...child, kind, port, token, follow }
}

export interface Terminal {
  kind: BridgeKind
  /** Bytes and binary frames received, acks sent. */
  stats: { bytes: number, frames: number, acks: number }
  /** The last few KiB of output, decoded. */
  tail: () => string
  /** Called with every output chunk (after the counters were updated). */
  onData: ((b: Buffer) => void) | undefined
  type: (data: string) => void
  waitForTail: (re: RegExp, ms?: number) => Promise<void>
  close: () => Promise<void>
}

/** A client of the `shell` demo that acks every chunk on arrival (as rendered at once). */
export async function openTerminal(host: Host): Promise<Terminal> {
  const origin = `http://localhost:${host.port}`
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BRIDGE_PATH}`, {
    headers: { Origin: origin, Host: `localhost:${host.port}` },
    perMessageDeflate: false,
  })
  let tail: Buffer = Buffer.alloc(0)
  const waiters = new Set<() => void>()
  const acks = ackBatcher((bytes) => {
    if (ws.readyState === ws.OPEN) {
      ws.send(encode({ type: 'ack', bytes }))
      t.stats.acks++
    }
  })
  const t: Terminal = {
    kind: host.kind,
    stats: { bytes: 0, frames: 0, acks: 0 },
    tail: () => tail.toString('utf8'),
    onData: undefined,
    type: data => ws.send(host.kind !== 'raw' ? encode({ type: 'input', data }) : data),
    waitForTail: (re, ms = 10_000) => within(new Promise<void>((resolve) => {
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
      acks.drop()
      if (ws.readyState === ws.CLOSED)
        return
      const closed = new Promise(r => ws.once('close', r))
      ws.close()
      await within(closed, 5_000, 'socket close').catch(() => ws.terminate())
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
    if (host.kind !== 'raw') // the raw bridge has no flow control (and would type an ack into the shell)
      acks.rendered(b.length)
    for (const w of [...waiters]) w()
  })
  await within(new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  }), 10_000, `connecting to the ${host.kind} bridge`)
  if (host.kind !== 'raw')
    ws.send(encode({ type: 'hello', v: PROTOCOL_VERSION, token: host.token, demo: 'shell', role: 'control' }))
  return t
}

/** Waits for the shell's prompt at the end of the output. */
export function waitForPrompt(t: Terminal, ms = 15_000): Promise<void> {
  return t.waitForTail(/\$ $/, ms)
}
