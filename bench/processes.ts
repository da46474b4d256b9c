/**
 * Processes the bench starts and stops, by PID only: children with their output kept, bounded
 * commands, slidev dev servers on free ports in 3400-3499, and their memory (RSS).
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { now, REPO, SLIDEV_BIN, waitFor } from './lib.ts'

/** The first port in [from, to] nobody listens on (127.0.0.1). */
async function freePort(from = 3400, to = 3499): Promise<number> {
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

function alive(pid: number): boolean {
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
 * Starts `slidev --bind 127.0.0.1 --port N` (N free in 3400-3499) in `cwd`, on its slides.md.
 * The returned PID is the node process serving the deck.
 */
export async function startSlidev(cwd = REPO, opts: { inspect?: boolean } = {}): Promise<Slidev> {
  const port = await freePort()
  const inspectPort = opts.inspect ? await freePort(port + 1) : undefined
  const nodeArgs = inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []
  const args = ['--bind', '127.0.0.1', '--port', String(port)]
  const child = startChild(process.execPath, [...nodeArgs, SLIDEV_BIN, ...args], { cwd, env: { ...process.env, BROWSER: 'none' } })
  return { ...child, port, url: `http://localhost:${port}`, inspectPort }
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
