/** `npm run rehearse` for real: a real pty, real bash, the recording played by asciinema. */
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pty from 'node-pty'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCast, RECORDING_FILE } from '../../common/asciicast.ts'
import { castOutput } from '../e2e/recorded-screen.ts'
import { DOCKER_KEY } from '../../server/rehearse/engine-versions.ts'
import { tempDemos } from '../../dev/decks.ts'
import type { TempDemos } from '../../dev/decks.ts'

let demos: TempDemos

beforeAll(() => {
  demos = tempDemos()
  demos.add('passing', `title: 통과하는 데모
typing: { delayMs: 5 }
setup: setup.sh
reset: reset.sh
steps:
  - type: cat "$DEMO_DIR/greeting.txt"
    expect: '^안녕, 컨테이너$'
    timeout: 10
  - type: printf '\\xe2\\x94'; sleep 0.1; printf '\\x80 box\\n'
    expect: '^─ box$'
  - type: printf 'pulling |'; sleep 0.1; printf '\\b/\\b-\\bdone\\n'
    expect: '^pulling done$'
`, {
    'setup.sh': 'echo "안녕, 컨테이너" > "$DEMO_DIR/greeting.txt"\n',
    'reset.sh': 'rm -f "$DEMO_DIR/greeting.txt"\n',
  })
  demos.add('failing', `title: 틀린 기대
typing: { delayMs: 5 }
steps:
  - type: echo one
    expect: '^one$'
  - type: echo two
    expect: '^three$'
    timeout: 2
`)
  // The byte stream holds a line the screen no longer shows (erased as docker pull does).
  demos.add('erased', `title: 지워진 줄
typing: { delayMs: 5 }
steps:
  - type: printf 'Pulling fs layer\\n'; sleep 0.1; printf '\\e[1A\\e[2KPull complete\\n'
    expect: '^Pulling fs layer$'
    timeout: 2
`)
  demos.add('leaky', `title: 흔적을 남기는 데모
needs: [root]
setup: setup.sh
steps:
  - type: findmnt -n -o FSTYPE "$DEMO_DIR/mnt"
    expect: '^tmpfs$'
`, { 'setup.sh': 'mkdir -p "$DEMO_DIR/mnt" && mount -t tmpfs demo-tmpfs "$DEMO_DIR/mnt"\n' })
  demos.add('on-docker', `title: 도커 버전
needs: [docker]
typing: { delayMs: 5 }
steps:
  - type: echo ok
    expect: '^ok$'
`)
  demos.add('needs-more', `title: 없는 도구
commands: [no-such-tool-for-this-test]
steps:
  - type: no-such-tool-for-this-test
`)
})
afterAll(() => {
  spawnSync('umount', [path.join(demos.dir, 'leaky', 'mnt')])
  demos.remove()
})

function rehearse(...args: string[]): Promise<{ code: number, out: string }> {
  return new Promise((resolve) => {
    execFile('./node_modules/.bin/tsx', ['server/cli/rehearse.ts', '--demos-dir', demos.dir, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr })
    })
  })
}

/** Plays a recording with the real asciinema player, in a real pty (it needs a terminal). */
function asciinemaCat(file: string): Promise<{ code: number, out: string }> {
  return new Promise((resolve) => {
    const p = pty.spawn('asciinema', ['cat', file], { cols: 100, rows: 30 })
    let out = ''
    p.onData((d) => {
      out += d
    })
    p.onExit(({ exitCode }) => resolve({ code: exitCode, out }))
  })
}

describe('rehearse', () => {
  it('runs a passing demo step by step and writes a valid asciicast v2 recording', async () => {
    const { code, out } = await rehearse('passing')
    expect(code).toBe(0)
    expect(out).toMatch(/▶ passing: 통과하는 데모/)
    expect(out).toMatch(/\[1\/3\] cat "\$DEMO_DIR\/greeting.txt" ✓ \d+\.\d+s/)
    expect(out).toMatch(/\[2\/3\] .* ✓/)
    // A spinner drawn over itself with backspaces: the screen reads "pulling done".
    expect(out).toMatch(/\[3\/3\] .* ✓/)
    expect(out).toMatch(/reset ✓/)
    const file = path.join(demos.dir, 'passing', RECORDING_FILE)
    const cast = parseCast(readFileSync(file, 'utf8'))
    expect(cast.header).toMatchObject({ version: 2, width: 90, height: 20, title: '통과하는 데모' })
    const times = cast.events.map(e => e[0])
    expect(times).toEqual([...times].sort((a, b) => a - b))
    const output = castOutput(cast)
    expect(output).toContain('안녕, 컨테이너')
    expect(output).toContain('─ box')
    expect(output).not.toContain('\uFFFD')
    // Reset ran: what setup made is gone.
    expect(existsSync(path.join(demos.dir, 'passing', 'greeting.txt'))).toBe(false)
    const played = await asciinemaCat(file)
    expect(played.code).toBe(0)
    expect(played.out).toContain('안녕, 컨테이너')
  })

  it('fails on an unmet expectation, naming the demo, the step, the pattern and the output', async () => {
    const { code, out } = await rehearse('failing')
    expect(code).toBe(1)
    expect(out).toMatch(/✗ failing failed at step 2 "echo two": output did not match \/\^three\$\/ when the prompt came back/)
    expect(out).toMatch(/\| two/) // the last lines of output
    expect(existsSync(path.join(demos.dir, 'failing', RECORDING_FILE))).toBe(false)
  })

  it('matches the screen the audience sees, not the bytes: an erased line does not count', async () => {
    const { code, out } = await rehearse('erased')
    expect(code).toBe(1)
    expect(out).toMatch(/✗ erased failed at step 1 .*: output did not match \/\^Pulling fs layer\$\/ when the prompt came back/)
    expect(out).toMatch(/\| Pull complete/)
    expect(out).not.toMatch(/\| Pulling fs layer/)
  })

  it('fails a demo that leaves something behind after its reset (here: a mount)', async () => {
    const { code, out } = await rehearse('leaky')
    expect(code).toBe(1)
    expect(out).toMatch(/✗ leaky failed at cleanup: left behind after reset: mount \S+\/leaky\/mnt/)
  })

  // Where no Docker answers, the demo is skipped: there is no engine to record.
  const docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 10_000 })
  it.skipIf(docker.status !== 0)('records the Docker engine it ran on in the recording\'s header', async () => {
    const { code } = await rehearse('on-docker')
    expect(code).toBe(0)
    const cast = parseCast(readFileSync(path.join(demos.dir, 'on-docker', RECORDING_FILE), 'utf8'))
    expect(cast.header.env?.[DOCKER_KEY]).toBe(docker.stdout.trim())
    // A demo that needs no engine records none.
    await rehearse('passing')
    const plain = parseCast(readFileSync(path.join(demos.dir, 'passing', RECORDING_FILE), 'utf8'))
    expect(Object.keys(plain.header.env ?? {}).sort()).toEqual(['SHELL', 'TERM'])
  })

  it('skips a demo whose needs are unmet, and fails it with --strict', async () => {
    const skipped = await rehearse('needs-more')
    expect(skipped.code).toBe(0)
    expect(skipped.out).toMatch(/– needs-more: skipped, command:no-such-tool-for-this-test: no-such-tool-for-this-test not found on PATH/)
    const strict = await rehearse('needs-more', '--strict')
    expect(strict.code).toBe(1)
    expect(strict.out).toMatch(/✗ needs-more: needs not met/)
    const allowed = await rehearse('needs-more', '--strict', '--allow-unmet', 'command:no-such-tool-for-this-test')
    expect(allowed.code).toBe(0)
  })
})
