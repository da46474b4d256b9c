/**
 * A real `slidev` dev server for tests and the bench: started in its own process group on a port,
 * ready once it answers its index page, stopped by PID (the group: slidev and whatever it started).
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from './ports.ts'
import { sleep } from './wait.ts'

export const SLIDEV_BIN = fileURLToPath(new URL('../node_modules/@slidev/cli/bin/slidev.mjs', import.meta.url))

export interface SlidevOptions {
  /** The deck's folder (its slides.md). */
  cwd: string
  /** Default: a free one. */
  port?: number
  /** Extra slidev arguments, e.g. ['--remote', '--bind', ADDR]. */
  args?: string[]
  env?: NodeJS.ProcessEnv
  /** Start node with its inspector on a free loopback port (the bench reads memory after a GC). */
  inspect?: boolean
}

export interface Slidev {
  port: number
  /** The node process serving the deck (the leader of its process group; the bridge runs in it). */
  pid: number
  url: string
  inspectPort?: number
  proc: ChildProcess
  /** Everything it printed so far. */
  output: () => string
  exited: Promise<number | null>
  /** Resolves once `http://address:port/` answers 200; rejects if slidev exits first or `ms` pass. */
  ready: (address?: string, ms?: number) => Promise<void>
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once slidev is gone. */
  stop: (graceMs?: number) => Promise<void>
}

export async function startSlidev(o: SlidevOptions): Promise<Slidev> {
  const port = o.port ?? await freePort()
  const inspectPort = o.inspect ? await freePort() : undefined
  const node = inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []
  const proc = spawn(process.execPath, [...node, SLIDEV_BIN, 'slides.md', '--port', String(port), ...(o.args ?? [])], {
    cwd: o.cwd,
    env: { BROWSER: 'none', ...(o.env ?? process.env) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (proc.pid === undefined)
    throw new Error(`could not start slidev in ${o.cwd}`)
  const pid = proc.pid
  let out = ''
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  let gone = false
  const exited = new Promise<number | null>(resolve => proc.once('exit', (code) => {
    gone = true
    resolve(code)
  }))
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s)
    }
    catch {}
  }
  const ready = async (address = '127.0.0.1', ms = 120_000) => {
    const deadline = Date.now() + ms
    for (;;) {
      if (gone || Date.now() > deadline)
        throw new Error(`slidev did not start on ${address}:${port}${gone ? ' (it exited)' : ` within ${ms} ms`}:\n${out.slice(-4000)}`)
      const up = await fetch(`http://${address}:${port}/`, { signal: AbortSignal.timeout(2_000) }).then(async (r) => {
        await r.arrayBuffer()
        return r.ok
      }, () => false)
      if (up)
        return
      await sleep(100)
    }
  }
  const stop = async (graceMs = 5_000) => {
    if (gone)
      return
    signal('SIGTERM')
    const killer = setTimeout(() => signal('SIGKILL'), graceMs)
    await exited
    clearTimeout(killer)
  }
  return { port, pid, url: `http://localhost:${port}`, inspectPort, proc, output: () => out, exited, ready, stop }
}

