/**
 * Slidev in a real terminal puts stdin in raw mode: Ctrl-C and `q` call process.exit(), no
 * SIGINT, so only the synchronous 'exit' hook runs. A real `slidev` dev server with the bridge
 * plugin runs under a real pty here, with a demo whose setup script (and a daemon it started
 * with `env -i setsid`) is still running; after Ctrl-C or `q`, none of them may be left.
 */
import type { IPty } from 'node-pty'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pty from 'node-pty'
import { afterAll, describe, expect, it } from 'vitest'
import { TOKEN_PATH } from '../../../common/protocol.ts'
import { connect } from '../../../dev/bridge-client.ts'
import { request } from '../../../dev/http.ts'
import { waitFor, within } from '../../../dev/wait.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** Inside this checkout's own range (tests/README: 3222-3239), not the deck's usual port. */
const PORT = Number(process.env.LT_RAW_EXIT_PORT ?? 3223)

const dir = mkdtempSync(path.join(os.tmpdir(), 'live-terminal-raw-exit-'))
const demos = path.join(dir, 'demos')
mkdirSync(path.join(demos, 'slow'), { recursive: true })
writeFileSync(path.join(demos, 'slow', 'demo.yaml'), 'title: setup still running\nsetup: setup.sh\nsteps:\n  - type: echo hi\n')
writeFileSync(path.join(dir, 'slides.md'), '---\ntheme: default\nfonts:\n  provider: none\n---\n\n# one slide\n')
writeFileSync(path.join(dir, 'vite.config.ts'), `import { defineConfig } from 'vite'
import { liveTerminal } from ${JSON.stringify(path.join(ROOT, 'server/bridge/vite-plugin.ts'))}
export default defineConfig({ plugins: [liveTerminal({ demosDir: ${JSON.stringify(demos)} })] })
`)
symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
const marks: string[] = []

function procsMentioning(word: string): string[] {
  return readdirSync('/proc').filter(n => /^\d+$/.test(n)).flatMap((n) => {
    try {
      const cmd = readFileSync(`/proc/${n}/cmdline`, 'utf8').replaceAll('\0', ' ')
      return cmd.includes(word) && !readFileSync(`/proc/${n}/stat`, 'utf8').includes(') Z ') ? [`${n} ${cmd}`] : []
    }
    catch {
      return []
    }
  })
}

afterAll(() => {
  for (const line of marks.flatMap(procsMentioning))
    process.kill(Number(line.split(' ')[0]), 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe('slidev in a terminal, quit by a key (process.exit, no signal)', () => {
  for (const [name, key] of [['Ctrl-C', '\x03'], ['q', 'q']] as const) {
    it(`${name} ends a running setup script and the daemon it started`, async () => {
      const [script, daemon] = [String(700_000 + Math.floor(Math.random() * 99_999)), String(600_000 + Math.floor(Math.random() * 99_999))]
      marks.push(script, daemon)
      writeFileSync(path.join(demos, 'slow', 'setup.sh'), `env -i setsid -f sleep ${daemon}\nsleep ${script}\n`)
      let out = ''
      const slidev: IPty = pty.spawn(process.execPath, [path.join(ROOT, 'node_modules/.bin/slidev'), '--bind', '127.0.0.1', '--port', String(PORT)], {
        cwd: dir,
        cols: 120,
        rows: 30,
        env: { ...process.env, BROWSER: 'none' } as Record<string, string>,
      })
      slidev.onData((d) => {
        out += d
      })
      const exited = new Promise<number>(r => slidev.onExit(e => r(e.exitCode)))
      try {
        await waitFor(() => out.includes(`${PORT}`), `slidev to listen on ${PORT}`, 90_000)
        const token = JSON.parse((await request(PORT, TOKEN_PATH, { Host: `localhost:${PORT}` })).body) as { token: string }
        const c = await connect(PORT, { token: token.token, demo: 'slow' })
        await waitFor(() => procsMentioning(`sleep ${script}`).length > 0 && procsMentioning(`sleep ${daemon}`).length > 0, 'setup and its daemon to run', 15_000)
        slidev.write(key)
        await within(exited, 15_000, 'slidev to exit')
        await c.closed
        expect([...procsMentioning(script), ...procsMentioning(daemon)]).toEqual([])
      }
      finally {
        if (await Promise.race([exited.then(() => true), new Promise(r => setTimeout(r, 10, false))]) === false)
          slidev.kill('SIGKILL')
      }
    }, 150_000)
  }
})
