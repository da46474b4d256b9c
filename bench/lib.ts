/**
 * Shared helpers for the benchmarks: timing and statistics, bounded waiting, child processes
 * (started and stopped by PID only), slidev dev servers on ports 3400-3499, Chromium, RSS.
 */
import type { ChildProcess } from 'node:child_process'
import type { Browser } from 'playwright-core'
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import WebSocket from 'ws'
import { chromiumOrExit } from '../server/chromium.ts'

export const REPO = fileURLToPath(new URL('../', import.meta.url))
export const BENCH_DIR = path.join(REPO, 'bench')
export const CHROMIUM = chromiumOrExit()
export const SLIDEV_BIN = path.join(REPO, 'node_modules/.bin/slidev')

export const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms))
export const now = () => performance.now()

const started = now()
/** A progress line, with the time since the bench started. */
export function progress(line: string): void {
  const s = ((now() - started) / 1000).toFixed(1).padStart(6)
  console.log(`[${s}s] ${line}`)
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** The p-th percentile (0..100) of the values, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0)
    return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export const median = (values: number[]) => percentile(values, 50)

/** Polls `check` every `everyMs` until it returns a value other than undefined/false; bounded. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false)
      return v
    if (now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

/** Rejects when `p` takes longer than `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
    }),
  ])
}

/** The first port in [from, to] nobody listens on (127.0.0.1). */
export async function freePort(from = 3400, to = 3499): Promise<number> {
  for (let port = from; port <= to; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const srv = net.createServer()
      srv.once('error', () => resolve(false))
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
    })
    if (ok)
      return port
  }
  throw new Error(`no free port in ${from}-${to}`)
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1])
  return kb / 1024
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch {
    return false
  }
}

/** A child process the bench started, with its output kept for error messages. */
export interface Child {
  proc: ChildProcess
  pid: number
  output: () => string
  exited: Promise<number | null>
  /** SIGTERM by PID, SIGKILL after `graceMs`; resolves once the process is gone. */
  stop: (graceMs?: number) => Promise<void>
}

export function startChild(cmd: string, args: string[], opts: { cwd?: string, env?: NodeJS.ProcessEnv } = {}): Child {
  const proc = spawn(cmd, args, { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
  if (proc.pid === undefined)
    throw new Error(`could not start ${cmd}`)
  const pid = proc.pid
  let out = ''
  const keep = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-20_000)
  }
  proc.stdout!.on('data', keep)
  proc.stderr!.on('data', keep)
  const exited = new Promise<number | null>(resolve => proc.once('exit', code => resolve(code)))
  let exitedNow = false
  void exited.then(() => (exitedNow = true))
  return {
    proc,
    pid,
    output: () => out,
    exited,
    stop: async (graceMs = 10_000) => {
      if (exitedNow)
        return
      try {
        process.kill(pid, 'SIGTERM')
      }
      catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL')
        }
        catch {}
      }, graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Runs a command to completion (bounded), returning its exit code, output and wall time. */
export async function runCommand(cmd: string, args: string[], opts: { cwd?: string, timeoutMs: number }): Promise<{ code: number | null, output: string, ms: number }> {
  const t0 = now()
  const child = startChild(cmd, args, { cwd: opts.cwd })
  child.proc.stdin!.end()
  const timer = setTimeout(() => void child.stop(5_000), opts.timeoutMs)
  const code = await child.exited
  clearTimeout(timer)
  return { code, output: child.output(), ms: now() - t0 }
}

export interface Slidev extends Child {
  port: number
  url: string
  /** The inspector port when started with `inspect` (loopback only). */
  inspectPort?: number
}

/**
 * Starts `slidev --bind 127.0.0.1 --port N` (N free in 3400-3499) in `cwd`; `entry` defaults to
 * the deck's slides.md. The returned PID is the node process serving the deck.
 */
export async function startSlidev(cwd = REPO, opts: { entry?: string, inspect?: boolean } = {}): Promise<Slidev> {
  const port = await freePort()
  const inspectPort = opts.inspect ? await freePort(port + 1) : undefined
  const nodeArgs = inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []
  const args = [...(opts.entry ? [opts.entry] : []), '--bind', '127.0.0.1', '--port', String(port)]
  const child = startChild(process.execPath, [...nodeArgs, SLIDEV_BIN, ...args], { cwd, env: { ...process.env, BROWSER: 'none' } })
  return { ...child, port, url: `http://localhost:${port}`, inspectPort }
}

/**
 * A full garbage collection in a process started with --inspect (via the inspector's
 * HeapProfiler.collectGarbage), so that RSS read afterwards is live memory, not GC timing.
 */
export async function collectGarbage(inspectPort: number): Promise<void> {
  const list = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`, { signal: AbortSignal.timeout(5_000) })).json() as { webSocketDebuggerUrl: string }[]
  const url = list[0]?.webSocketDebuggerUrl
  if (!url)
    throw new Error('no inspector target')
  const ws = new WebSocket(url)
  try {
    await withTimeout(new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })))
      ws.on('message', (data) => {
        if ((JSON.parse(data.toString()) as { id?: number }).id === 1)
          resolve()
      })
      ws.once('error', reject)
    }), 30_000, 'a garbage collection over the inspector')
  }
  finally {
    ws.close()
  }
}

/** Resolves when the dev server answers its index page with 200 (bounded). */
export async function waitForHttp(s: Slidev, timeoutMs = 120_000): Promise<void> {
  await waitFor(async () => {
    if (!alive(s.pid))
      throw new Error(`slidev exited early:\n${s.output().slice(-2000)}`)
    try {
      const res = await fetch(`${s.url}/`, { signal: AbortSignal.timeout(2_000) })
      await res.arrayBuffer()
      return res.ok
    }
    catch {
      return false
    }
  }, `slidev on port ${s.port}`, timeoutMs, 50)
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true })
}

export interface Machine {
  cpu: string
  cores: number
  memoryGb: number
  node: string
  os: string
  date: string
  load: number[]
}

export function machineInfo(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    load: os.loadavg().map(l => round(l, 2)),
  }
}

/** Re-runs this bench in a new network namespace with only loopback; undefined if it can't. */
export function reexecInNetns(): Promise<number> | undefined {
  if (process.env.BENCH_IN_NETNS || process.env.BENCH_NETNS === '0')
    return undefined
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) {
    console.log('(no private network namespace available: running in place)')
    return undefined
  }
  const child = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_IN_NETNS: '1' },
  })
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (child.pid)
        process.kill(child.pid, sig)
    })
  }
  return new Promise(resolve => child.on('exit', code => resolve(code ?? 1)))
}
