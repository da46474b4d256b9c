/**
 * `slidev export` serves the deck (with its <LiveTerminal demo="shell" /> slide) to a headless
 * browser: the bridge on that server must refuse every terminal and spawn nothing. `slidev build`
 * runs no server at all: nothing either. The process tree is watched from /proc throughout, and
 * while export runs, this test itself knocks on the export server's bridge with a valid token.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { TOKEN_PATH } from '../../../common/protocol.ts'
import { chromiumOrExit } from '../../../server/doctor/chromium.ts'
import { descendants } from '../../helpers/procs.ts'
import { connect } from '../../../dev/bridge-client.ts'
import { request } from '../../../dev/http.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SLIDEV = path.join(ROOT, 'node_modules/.bin/slidev')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-terminal-export-'))
const children: ChildProcess[] = []

afterAll(() => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null)
      c.kill('SIGKILL')
  }
  rmSync(tmp, { recursive: true, force: true })
})

/** TCP ports `pid` listens on, from its socket fds and /proc/net/tcp{,6}. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>()
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/)
        if (m)
          inodes.add(m[1]!)
      }
      catch {}
    }
  }
  catch {
    return []
  }
  const ports = new Set<number>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[] = []
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1)
    }
    catch {}
    for (const line of lines) {
      const f = line.trim().split(/\s+/)
      if (f[3] === '0A' && inodes.has(f[9]!))
        ports.add(Number.parseInt(f[1]!.split(':')[1]!, 16))
    }
  }
  return [...ports]
}

interface Watched {
  code: number | null
  output: string
  /** Every bash (or tagged live-terminal process) ever seen below the command. */
  shells: string[]
  /** What knocking on the bridge of the command's server gave, if it had one. */
  probes: string[]
}

/** Runs a slidev command, polling its process tree every 50 ms and probing its server's bridge. */
function watch(args: string[], probe: boolean): Promise<Watched> {
  const child = spawn(SLIDEV, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (b: Buffer) => {
    output += b.toString()
  })
  child.stderr!.on('data', (b: Buffer) => {
    output += b.toString()
  })
  const shells: string[] = []
  const probes: string[] = []
  const probed = new Set<number>()
  const poll = setInterval(() => {
    for (const p of descendants(child.pid!)) {
      let tagged = false
      try {
        tagged = readFileSync(`/proc/${p.pid}/environ`, 'utf8').includes('LIVE_TERMINAL_SESSION=')
      }
      catch {}
      if (p.comm === 'bash' || tagged)
        shells.push(`${p.pid} ${p.comm}`)
    }
    if (!probe)
      return
    for (const port of listeningPorts(child.pid!)) {
      if (probed.has(port))
        continue
      probed.add(port)
      void (async () => {
        // Exactly what the page would do: fetch the token same-origin, then open the socket.
        const r = await request(port, TOKEN_PATH, { 'Host': `localhost:${port}`, 'Sec-Fetch-Site': 'same-origin' }).catch(() => undefined)
        if (r?.status !== 200)
          return
        const token = (JSON.parse(r.body) as { token: string }).token
        try {
          const c = await connect(port, { token, demo: 'shell' })
          const closed = await c.closedWithin()
          probes.push(`accepted, then closed ${closed.code} ${closed.reason}`)
        }
        catch (err) {
          probes.push((err as { status?: number }).status ? `refused ${(err as { status: number }).status}` : `accepted: ${(err as Error).message}`)
        }
      })()
    }
  }, 50)
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearInterval(poll)
      resolve({ code, output, shells, probes })
    })
  })
}

describe('no live terminal outside the live deck', () => {
  it('slidev export spawns no pty: the bridge refuses even a valid token, no bash ever appears', async () => {
    const pdf = path.join(tmp, 'deck.pdf')
    const r = await watch(['export', '--executable-path', chromiumOrExit(), '--timeout', '60000', '--output', pdf], true)
    expect(r.code, r.output).toBe(0)
    expect(existsSync(pdf)).toBe(true)
    expect(r.shells).toEqual([])
    expect(r.output).not.toMatch(/session .* started/)
    // The export server was found and its bridge knocked on: refused before any spawn.
    expect(r.probes).toEqual(['refused 503'])
    expect(r.output).toMatch(/live terminals are off during slidev export/)
  }, 180_000)

  it('slidev build spawns no pty either', async () => {
    const out = path.join(tmp, 'dist')
    const r = await watch(['build', '--out', out], false)
    expect(r.code, r.output).toBe(0)
    expect(existsSync(path.join(out, 'index.html'))).toBe(true)
    expect(r.shells).toEqual([])
    expect(r.output).not.toMatch(/session .* started/)
  }, 180_000)
})
