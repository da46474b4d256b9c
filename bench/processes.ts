/**
 * Processes the bench starts and stops, by PID only: children with their output kept, bounded
 * commands, and their memory (RSS). Slidev dev servers: dev/slidev.ts.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { now, REPO } from './lib.ts'

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1])
  return kb / 1024
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
