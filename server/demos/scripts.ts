/** Runs a demo's setup or reset script outside the pty, with its output kept for error messages. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { Demo } from './demos.ts'
import { Containment } from '../containment/containment.ts'
import { demoHostFor } from '../demo-host/container.ts'
import { demoEnv } from './demos.ts'

export interface ScriptResult { ok: boolean, code: number | null, output: string, ms: number }

export interface RunningScript { done: Promise<ScriptResult>, cancel: () => Promise<void> }

/**
 * Runs `demo`'s `which` script inside `within` (a session's containment: cancelling ends the
 * session's processes), or inside one of its own that is removed when the script is done (with
 * a demo host of its own, where the demo runs in one).
 */
export function runScript(demo: Demo, which: 'setup' | 'reset', within?: Containment, timeoutMs = 300_000): RunningScript | undefined {
  const file = demo[which]
  if (!file)
    return undefined
  const started = Date.now()
  const host = within ? undefined : demoHostFor(demo)
  // Nothing to reset where the demo host is gone (a script's own is not even started): what the
  // demo made went with its container.
  if (which === 'reset' && (within ? within.hostGone : host !== undefined))
    return { done: Promise.resolve({ ok: true, code: 0, output: 'reset: the demo host is gone, with all the demo made in it', ms: 0 }), cancel: () => Promise.resolve() }
  const box = within ?? Containment.create(`${demo.id}-${which}`, host)
  let output = ''
  const keep = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-64 * 1024)
  }
  let cancelled = false
  const cancel = () => {
    cancelled = true
    return box.end(200)
  }
  const timer = setTimeout(() => {
    output += `\n${which} timed out after ${timeoutMs / 1000}s`
    void cancel()
  }, timeoutMs)
  const exited = box.ready().then(up => new Promise<ScriptResult>((resolve) => {
    if (!up.ok || cancelled) {
      clearTimeout(timer)
      return resolve({ ok: false, code: null, output: up.ok ? `${which} cancelled` : up.error, ms: Date.now() - started })
    }
    const run = box.command(['bash', path.join(demo.dir, file)], demo.dir, demoEnv(demo), false)
    // detached: the script leads its own process session, which the fallback cleanup ends.
    const child = spawn(run.file, run.args, { cwd: run.cwd, env: run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    box.adopt(child.pid)
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({ ok: false, code: null, output: `${output}${err.message}`, ms: Date.now() - started })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ok: code === 0, code, output, ms: Date.now() - started })
    })
  }))
  // A script's own containment goes with it: what it left running in the background too.
  const done = within ? exited : exited.then(async (r) => {
    await box.dispose()
    return r
  })
  return { done, cancel }
}
