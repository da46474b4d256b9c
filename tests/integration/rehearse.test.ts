/** `npm run rehearse` for real: a real pty, real bash, the recording played by asciinema. */
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pty from 'node-pty'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Cast } from '../../common/asciicast.ts'
import { outputAfterStep } from '../../client/cast-steps.ts'
import { parseCast, RECORDING_FILE } from '../../common/asciicast.ts'
import { Screen } from '../../server/session/screen.ts'
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
  return rehearseIn(demos.dir, args)
}

function rehearseIn(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeout = 60_000): Promise<{ code: number, out: string }> {
  return new Promise((resolve) => {
    execFile('./node_modules/.bin/tsx', ['server/cli/rehearse.ts', '--demos-dir', dir, ...args], { timeout, env }, (err, stdout, stderr) => {
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

interface Report { jobs: number, demos: Record<string, { outcome: string, exclusive: boolean, startedAt: number, endedAt: number, judgedAt: number }> }

function readReport(file: string): Report {
  return JSON.parse(readFileSync(file, 'utf8')) as Report
}

/** A recording as its steps: each marker, and the screen (non-empty rows) after each step. */
async function stepsOf(file: string): Promise<{ markers: string[], screens: string[][] }> {
  const cast: Cast = parseCast(readFileSync(file, 'utf8'))
  const markers = cast.events.filter(e => e[1] === 'm').map(e => e[2])
  const screens: string[][] = []
  for (let k = 1; k <= markers.length; k++) {
    const screen = new Screen(cast.header.width, cast.header.height)
    screen.write(Buffer.from(outputAfterStep(cast, k)))
    await screen.settled()
    screens.push(screen.viewport().map(r => r.trimEnd()).filter(r => r !== ''))
    screen.dispose()
  }
  return { markers, screens }
}

/** [a, b) and [c, d) share a moment. */
const overlap = (a: { startedAt: number, judgedAt: number }, b: { startedAt: number, judgedAt: number }) => a.startedAt < b.judgedAt && b.startedAt < a.judgedAt

describe('rehearse --jobs', () => {
  const cluster = spawnSync('kubectl', ['get', 'nodes', '--request-timeout=8s'], { encoding: 'utf8', timeout: 15_000 })
  // Two Kubernetes demos, each in its own namespace (DEMO_NAMESPACE's base is this test's own),
  // made by setup and deleted by reset, so the footprint check waits for it to go.
  it.skipIf(cluster.status !== 0)('rehearses two demos side by side on the cluster with the same steps and markers as one after the other', async () => {
    const k8s = tempDemos()
    const base = `lt-jobs-${Math.random().toString(36).slice(2, 7)}`
    const env = { ...process.env, DEMO_NAMESPACE: base }
    try {
      for (const id of ['k8s-alpha', 'k8s-beta']) {
        k8s.add(id, `title: ${id}
needs: [kubectl]
typing: { delayMs: 5 }
setup: setup.sh
reset: reset.sh
steps:
  - type: kubectl create configmap greeting --from-literal=hi=$DEMO_ID -n $DEMO_NAMESPACE
    expect: 'configmap/greeting created'
  - type: sleep 2; kubectl get configmap greeting -n $DEMO_NAMESPACE -o jsonpath='{.data.hi}'; echo
    expect: '^${id}$'
  - type: kubectl get configmap -n $DEMO_NAMESPACE -o name | sort
    expect: '^configmap/greeting$'
`, {
          'setup.sh': 'kubectl create namespace "$DEMO_NAMESPACE" >/dev/null\n',
          'reset.sh': 'kubectl delete namespace "$DEMO_NAMESPACE" --ignore-not-found --wait=true --timeout=120s >/dev/null\n',
        })
      }
      const serial = await rehearseIn(k8s.dir, ['--jobs', '1', '--report', path.join(k8s.dir, 'serial.json')], env, 300_000)
      expect(serial.out).toMatch(/2 demos in .*, 0 failed/)
      expect(serial.code).toBe(0)
      const one = Object.fromEntries(await Promise.all(['k8s-alpha', 'k8s-beta'].map(async id => [id, await stepsOf(path.join(k8s.dir, id, RECORDING_FILE))] as const)))
      const s = readReport(path.join(k8s.dir, 'serial.json'))
      expect(overlap(s.demos['k8s-alpha']!, s.demos['k8s-beta']!)).toBe(false)

      const parallel = await rehearseIn(k8s.dir, ['--jobs', '2', '--report', path.join(k8s.dir, 'parallel.json')], env, 300_000)
      expect(parallel.code).toBe(0)
      // Each line names its demo; the two ran at the same time.
      expect(parallel.out).toMatch(/^k8s-alpha │ \[2\/3\] sleep 2; .* ✓ \d+\.\d+s$/m)
      expect(parallel.out).toMatch(/^k8s-beta  │ \[2\/3\] sleep 2; .* ✓ \d+\.\d+s$/m)
      const p = readReport(path.join(k8s.dir, 'parallel.json'))
      expect(p.jobs).toBe(2)
      expect(overlap(p.demos['k8s-alpha']!, p.demos['k8s-beta']!)).toBe(true)
      for (const id of ['k8s-alpha', 'k8s-beta']) {
        const two = await stepsOf(path.join(k8s.dir, id, RECORDING_FILE))
        expect(two.markers).toEqual(one[id]!.markers)
        expect(two.markers).toHaveLength(3)
        expect(two.screens).toEqual(one[id]!.screens)
      }
      // Nothing left behind: each namespace is gone.
      const left = spawnSync('kubectl', ['get', 'namespaces', '-o', 'name'], { encoding: 'utf8' })
      expect(left.stdout).not.toContain(base)
    }
    finally {
      for (const id of ['alpha', 'beta'])
        spawnSync('kubectl', ['delete', 'namespace', `${base}-${id}`, '--ignore-not-found', '--wait=false'])
      k8s.remove()
    }
  }, 600_000)

  it('runs an exclusive demo with no other demo beside it, and the others side by side', async () => {
    const local = tempDemos()
    try {
      const slow = (id: string, exclusive = false) => local.add(id, `title: ${id}
typing: { delayMs: 5 }
${exclusive ? 'exclusive: true\n' : ''}steps:
  - type: sleep 1.5; echo ${id}-done
    expect: '^${id}-done$'
`)
      // Name order puts the exclusive one between the others: it must wait for a and b, and c for it.
      slow('a')
      slow('b')
      slow('m', true)
      slow('y')
      slow('z')
      const file = path.join(local.dir, 'report.json')
      const { code, out } = await rehearseIn(local.dir, ['--jobs', '4', '--report', file])
      expect(code).toBe(0)
      expect(out).toMatch(/up to 4 at once \(alone: m\)/)
      const r = readReport(file)
      const m = r.demos.m!
      expect(m.exclusive).toBe(true)
      for (const other of ['a', 'b', 'y', 'z'])
        expect(overlap(m, r.demos[other]!), `m overlaps ${other}`).toBe(false)
      expect(overlap(r.demos.a!, r.demos.b!)).toBe(true)
      expect(overlap(r.demos.y!, r.demos.z!)).toBe(true)
      // A second pass orders by the recordings' lengths (all alike here): still never beside it.
      const again = await rehearseIn(local.dir, ['--jobs', '4', '--report', file])
      expect(again.code).toBe(0)
      const r2 = readReport(file)
      for (const other of ['a', 'b', 'y', 'z'])
        expect(overlap(r2.demos.m!, r2.demos[other]!), `m overlaps ${other} (second pass)`).toBe(false)
    }
    finally {
      local.remove()
    }
  })

  // A mount one demo holds in a place another demo's files name too: judged right after the second
  // demo's reset it would be that demo's leftover; judged when no demo runs it is nobody's. A
  // demo that really leaves a mount still fails beside the others.
  it.skipIf(process.getuid?.() !== 0)('judges what each demo left behind when no demo runs: another\'s live mount is not a leftover, a real leftover still fails', async () => {
    const local = tempDemos()
    const shared = `/tmp/lt-jobs-shared-${Math.random().toString(36).slice(2, 8)}`
    try {
      local.add('holder', `title: holder
needs: [root]
typing: { delayMs: 5 }
reset: reset.sh
steps:
  - type: mkdir -p ${shared} && mount -t tmpfs lt-jobs ${shared} && findmnt -n -o FSTYPE ${shared}
    expect: '^tmpfs$'
  - type: sleep 4; echo held
    expect: '^held$'
`, { 'reset.sh': `umount ${shared} 2>/dev/null; rmdir ${shared} 2>/dev/null; true\n` })
      local.add('quick', `title: quick
typing: { delayMs: 5 }
steps:
  - type: sleep 1.5; echo "${shared} is named here too"
    expect: 'named here too'
`)
      local.add('leaky', `title: leaky
needs: [root]
typing: { delayMs: 5 }
steps:
  - type: mkdir -p "$DEMO_DIR/mnt" && mount -t tmpfs lt-leak "$DEMO_DIR/mnt"; sleep 1; echo mounted
    expect: '^mounted$'
`)
      const file = path.join(local.dir, 'report.json')
      const { code, out } = await rehearseIn(local.dir, ['--jobs', '3', '--report', file])
      const r = readReport(file)
      // quick ended while holder's mount was there.
      expect(r.demos.quick!.endedAt).toBeLessThan(r.demos.holder!.endedAt)
      expect(out).toMatch(/✓ holder passed/)
      expect(out).toMatch(/✓ quick passed/)
      expect(out).toMatch(/✗ leaky failed at cleanup: left behind after reset: mount \S+\/leaky\/mnt/)
      expect(out).not.toMatch(/quick .*left behind ✗/)
      expect(code).toBe(1)
    }
    finally {
      spawnSync('umount', [shared])
      spawnSync('umount', [path.join(local.dir, 'leaky', 'mnt')])
      spawnSync('rmdir', [shared])
      local.remove()
    }
  })
})
