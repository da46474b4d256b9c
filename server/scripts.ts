/** Runs a demo's setup or reset script outside the pty, with its output kept for error messages. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { Demo } from './demos.ts'
import { demoEnv } from './demos.ts'
import { killSession } from './process-tree.ts'

export interface ScriptResult { ok: boolean, code: number | null, output: string, ms: number }

export interface RunningScript { done: Promise<ScriptResult>, cancel: () => Promise<void> }

export function runScript(demo: Demo, which: 'setup' | 'reset', timeoutMs = 300_000): RunningScript | undefined {
  const file = demo[which]
  if (!file)
    return undefined
  const started = Date.now()
  // detached: the script leads its own session, so a timeout or cancel can end everything it started.
  const child = spawn('bash', [path.join(demo.dir, file)], {
    cwd: demo.dir,
    env: demoEnv(demo),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-64 * 1024)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const cancel = async () => {
    if (child.pid)
      await killSession(child.pid, 200)
  }
  const timer = setTimeout(() => {
    output += `\n${which} timed out after ${timeoutMs / 1000}s`
    void cancel()
  }, timeoutMs)
  const done = new Promise<ScriptResult>((resolve) => {
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({ ok: false, code: null, output: `${output}${err.message}`, ms: Date.now() - started })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ok: code === 0, code, output, ms: Date.now() - started })
    })
  })
  return { done, cancel }
}
