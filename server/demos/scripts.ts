/** Runs a demo's setup or reset script outside the pty, with its output kept for error messages. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { Demo } from './demos.ts'
import { Containment } from '../containment/containment.ts'
import { demoEnv } from './demos.ts'

export interface ScriptResult { ok: boolean, code: number | null, output: string, ms: number }

export interface RunningScript { done: Promise<ScriptResult>, cancel: () => Promise<void> }

/**
 * Runs `demo`'s `which` script inside `within` (a session's containment: cancelling ends the
 * session's processes), or inside one of its own that is removed when the script is done.
 */
export function runScript(demo: Demo, which: 'setup' | 'reset', within?: Containment, timeoutMs = 300_000): RunningScript | undefined {
  const file = demo[which]
  if (!file)
    return undefined
  const started = Date.now()
  const box = within ?? Containment.create(`${demo.id}-${which}`)
  const [cmd, ...args] = box.wrap(['bash', path.join(demo.dir, file)])
  // detached: the script leads its own process session, which the fallback cleanup ends.
  const child = spawn(cmd!, args, {
    cwd: demo.dir,
    env: { ...demoEnv(demo), ...box.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  box.adopt(child.pid)
  let output = ''
  const keep = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-64 * 1024)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const cancel = () => box.end(200)
  const timer = setTimeout(() => {
    output += `\n${which} timed out after ${timeoutMs / 1000}s`
    void cancel()
  }, timeoutMs)
  const exited = new Promise<ScriptResult>((resolve) => {
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({ ok: false, code: null, output: `${output}${err.message}`, ms: Date.now() - started })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ok: code === 0, code, output, ms: Date.now() - started })
    })
  })
  // A script's own containment goes with it: what it left running in the background too.
  const done = within ? exited : exited.then(async (r) => {
    await box.dispose()
    return r
  })
  return { done, cancel }
}
