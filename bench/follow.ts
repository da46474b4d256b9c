/**
 * Follow mode's cost to the presenter, in one run of one server process (bench/server-host.ts
 * follow, the shell demo's slide current): the presenter's echo p50 with no follower, then with
 * `followers` follow sockets connected and reading (in a process of their own,
 * bench/followers.ts), with none again, then with one follower that stopped reading (a raw socket that never
 * reads); the lag from a marker reaching the presenter to it reaching each follower (p95 over
 * all followers and markers); the server's RSS growth with the followers connected.
 */
import type { Child } from './processes.ts'
import type { Terminal } from './bridge-ends.ts'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { sleep, waitFor, within } from '../dev/wait.ts'
import { startHost } from './bridge-ends.ts'
import { echoShell, roundTrip } from './echo.ts'
import { BENCH_DIR, percentile, progress, round } from './lib.ts'
import { rssMb, startChild } from './processes.ts'

export interface FollowResult {
  followers: number
  keystrokes: number
  /** The mean of the two runs without followers (before and after them). */
  echoP50NoneMs: number
  echoP50NoneRunsMs: number[]
  echoP50FollowersMs: number
  /** With followers connected and reading, against none: goal ≤ 1.2. */
  presenterEchoRatio: number
  /** Marker on the presenter's screen → on each follower's, p95 and max over followers × markers. */
  lagP95Ms: number
  lagMaxMs: number
  markers: number
  /** Markers every follower saw, of those sent. */
  markersSeenByAll: number
  rssBeforeMb: number
  rssWithFollowersMb: number
  rssGrowthMb: number
  slowFollower: { echoP50Ms: number, ratio: number, dropped: boolean }
}

const epoch = () => performance.timeOrigin + performance.now()

async function echoP50(t: Terminal, keystrokes: number): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < keystrokes; i++)
    samples.push(await roundTrip(t, String.fromCharCode(0x61 + (i % 26))))
  return percentile(samples, 50)
}

function startFollowers(port: number, code: string, count: number, reportFile: string): Child {
  return startChild(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'followers.ts'), String(port), code, String(count), reportFile])
}

export async function measureFollow(followers = 300, keystrokes = 400, markers = 40): Promise<FollowResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-follow-'))
  const reportFile = path.join(tmp, 'report.json')
  const child = await startHost('follow')
  let crowd: Child | undefined
  let stuck: net.Socket | undefined
  try {
    const ready = child.follow!
    const t = await echoShell(child)
    await echoP50(t, 100) // warm-up
    const none = await echoP50(t, keystrokes)
    const rssBeforeMb = rssMb(child.pid)
    progress(`  follow: echo p50 ${round(none, 3)} ms with no follower; connecting ${followers} …`)

    crowd = startFollowers(ready.port, ready.code, followers, reportFile)
    await waitFor(() => /^READY$/m.test(crowd!.output()), `${followers} followers to connect`, 60_000, 20)
    await sleep(500)
    const withFollowers = await echoP50(t, keystrokes)
    // Lag: each marker typed once; its arrival at the presenter and at every follower.
    const atPresenter = new Map<string, number>()
    for (let i = 0; i < markers; i++) {
      const m = `M${String(i).padStart(4, '0')}`
      const back = new Promise<void>((resolve) => {
        t.onData = (b) => {
          if (b.toString('latin1').includes(m)) {
            atPresenter.set(m, epoch())
            resolve()
          }
        }
      })
      t.type(m)
      await within(back, 5_000, `marker ${m}`)
      t.onData = undefined
      await sleep(50)
    }
    await sleep(1000)
    const rssWithFollowersMb = rssMb(child.pid)
    crowd.proc.stdin?.write('report\n')
    await waitFor(() => /^REPORTED$/m.test(crowd!.output()), 'the followers\' report', 30_000, 20)
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { marks: Record<string, number[]> }
    const lags: number[] = []
    let seenByAll = 0
    for (const [m, t0] of atPresenter) {
      const times = report.marks[m] ?? []
      if (times.length === followers)
        seenByAll++
      lags.push(...times.map(x => x - t0))
    }
    await crowd.stop()
    crowd = undefined
    await sleep(500)
    // "None" again, after the followers left: the baseline is the two runs' mean, so that the
    // order (a first run still warming up, a later one on a busier machine) favours neither.
    const none2 = await echoP50(t, keystrokes)
    const baseline = (none + none2) / 2
    progress(`  follow: echo p50 ${round(withFollowers, 3)} ms with ${followers} followers; lag p95 ${round(percentile(lags, 95), 1)} ms`)

    // One follower that completes the upgrade and never reads again.
    stuck = net.connect(ready.port, '127.0.0.1')
    stuck.write(`GET /follow/${ready.code}/live HTTP/1.1\r\nHost: 127.0.0.1:${ready.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    stuck.pause()
    let dropped = false
    stuck.on('close', () => (dropped = true))
    await sleep(300)
    // 8 MB through `cat` (echoed back): far more than the stuck follower's buffers hold.
    const before = t.stats.bytes
    for (let i = 1; i <= 500; i++) {
      t.type('x'.repeat(16_000)) // one chunk at a time: the shell's input queue is bounded
      await waitFor(() => t.stats.bytes - before >= i * 16_000, 'the flood\'s echo', 30_000, 1)
    }
    const slow = await echoP50(t, keystrokes)
    // The hub drops it at its heartbeat (no pong); a paused socket sees the end once it reads again.
    await sleep(5_000)
    stuck.on('end', () => (dropped = true))
    stuck.resume()
    await waitFor(() => dropped, 'the stuck follower to be dropped', 15_000, 50).catch(() => {})
    await t.close()
    return {
      followers,
      keystrokes,
      echoP50NoneMs: round(baseline, 3),
      echoP50NoneRunsMs: [round(none, 3), round(none2, 3)],
      echoP50FollowersMs: round(withFollowers, 3),
      presenterEchoRatio: round(withFollowers / baseline, 2),
      lagP95Ms: round(percentile(lags, 95), 1),
      lagMaxMs: round(Math.max(...lags), 1),
      markers,
      markersSeenByAll: seenByAll,
      rssBeforeMb: round(rssBeforeMb, 1),
      rssWithFollowersMb: round(rssWithFollowersMb, 1),
      rssGrowthMb: round(rssWithFollowersMb - rssBeforeMb, 1),
      slowFollower: { echoP50Ms: round(slow, 3), ratio: round(slow / baseline, 2), dropped },
    }
  }
  finally {
    stuck?.destroy()
    await crowd?.stop()
    await child.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}
