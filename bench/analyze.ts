/**
 * npx tsx bench/analyze.ts [sections...]   (echo cpu coalesce watermarks browser; default all)
 *
 * The why behind bench/results.json, written to bench/analysis.json:
 * - echo: for every keystroke, the run-queue wait (schedstat) of the three processes on the
 *   echo path (client, bridge, cat): is the tail latency the bridge or a busy machine?
 * - cpu: bridge CPU time per MB of output, pty reads, pauses and resumes (node-pty wrapped),
 *   and a --cpu-prof breakdown, full bridge vs raw.
 * - coalesce: the proposed batching of pty reads (one WebSocket frame per event-loop turn
 *   instead of per ~2-4 KiB read), measured by wrapping node-pty in the bridge's process.
 * - watermarks: highWater/lowWater sweep via startStandalone's session options: throughput to
 *   a fast acking client, and Ctrl-C latency to a client that renders at a fixed rate (the
 *   browser's measured rate) and acks only what it rendered.
 * - browser: the real deck in Chromium (bench/tuned-deck.ts) with today's settings and the
 *   proposed watermarks and coalescing.
 */
import type { PtyExperiment } from './pty-experiments.ts'
import type { HostOptions } from './server-host.ts'
import type { Host, Terminal } from './bridge-client.ts'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { echoShell, roundTrip } from './echo.ts'
import { measureFlood } from './flood.ts'
import { openTerminal, readCounters, startHost } from './bridge-client.ts'
import { BENCH_DIR, childPids, comm, cpuMs, machineInfo, median, now, percentile, progress, reexecInNetns, round, runQueueWaitMs, sleep, waitFor, withTimeout } from './lib.ts'
import { oneRun } from './throughput.ts'
import { createTunedDeck } from './tuned-deck.ts'

const KiB = 1024

// ── echo: where the tail latency goes ────────────────────────────────────────────────────

async function echoAttribution(kind: 'full' | 'raw', keystrokes: number) {
  const host = await startHost(kind)
  try {
    const t = await echoShell(host)
    const cat = await waitFor(() => childPids(host.pid).find(p => comm(p) === 'cat'), 'cat under the bridge host', 5_000, 10)
    const pids = [process.pid, host.pid, cat]
    const wait = () => pids.reduce((s, p) => s + runQueueWaitMs(p), 0)
    const samples: { ms: number, waitMs: number }[] = []
    for (let i = 0; i < keystrokes + 50; i++) {
      const w0 = wait()
      const ms = await roundTrip(t, String.fromCharCode(0x61 + (i % 26)))
      const w1 = wait()
      if (i >= 50)
        samples.push({ ms, waitMs: w1 - w0 })
    }
    await t.close()
    const p99 = percentile(samples.map(s => s.ms), 99)
    const slow = samples.filter(s => s.ms >= p99)
    const over5 = samples.filter(s => s.ms > 5)
    return {
      kind,
      keystrokes,
      p50Ms: round(percentile(samples.map(s => s.ms), 50), 3),
      p99Ms: round(p99, 3),
      /** Latency minus the run-queue wait of the processes on the path. */
      p99WithoutWaitMs: round(percentile(samples.map(s => Math.max(0, s.ms - s.waitMs)), 99), 3),
      slowest1pct: { n: slow.length, meanMs: round(slow.reduce((a, s) => a + s.ms, 0) / slow.length, 2), meanRunQueueWaitMs: round(slow.reduce((a, s) => a + s.waitMs, 0) / slow.length, 2) },
      over5ms: over5.length,
      over5msMostlyWaiting: over5.filter(s => s.waitMs >= 0.5 * s.ms).length,
      meanRunQueueWaitMs: round(samples.reduce((a, s) => a + s.waitMs, 0) / samples.length, 3),
    }
  }
  finally {
    await host.stop()
  }
}

// ── cpu: what each MB costs the bridge ───────────────────────────────────────────────────

interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }
interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[] }

function category(n: ProfileNode): string {
  const { functionName: f, url } = n.callFrame
  if (['(idle)', '(garbage collector)', '(program)'].includes(f))
    return f
  if (url.includes('node_modules/ws/'))
    return 'ws'
  if (url.includes('node_modules/zod/'))
    return 'zod'
  if (url.includes('node-pty'))
    return 'node-pty'
  if (url.includes('/server/') || url.includes('/common/'))
    return 'bridge (server/, common/)'
  if (url.includes('/bench/'))
    return 'bench (raw bridge)'
  if (url.startsWith('node:') || url === '')
    return 'node core / native'
  return 'other'
}

function summarizeProfile(file: string) {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const interval = (prof.endTime - prof.startTime) / 1000 / Math.max(1, prof.samples.length)
  const byCat = new Map<string, number>()
  const byFn = new Map<string, number>()
  for (const n of prof.nodes) {
    const ms = (n.hitCount ?? 0) * interval
    if (!ms)
      continue
    const c = category(n)
    byCat.set(c, (byCat.get(c) ?? 0) + ms)
    if (c !== '(idle)') {
      const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(server|common|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`
      byFn.set(name, (byFn.get(name) ?? 0) + ms)
    }
  }
  const busy = [...byCat].filter(([c]) => c !== '(idle)').reduce((a, [, v]) => a + v, 0)
  const sorted = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => ({ name: k, ms: round(v, 0), pctOfBusy: round(100 * v / busy, 1) }))
  return { busyMs: round(busy, 0), categories: sorted(byCat, 20), topFunctions: sorted(byFn, 12) }
}

async function cpuPerMb(kind: 'full' | 'raw', profile: boolean, options: HostOptions = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-prof-'))
  const host = await startHost(kind, { ...options, counters: true }, profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [])
  try {
    await oneRun(host, 8)
    const c0 = await readCounters(host)
    const cpu0 = cpuMs(host.pid)
    const self0 = cpuMs(process.pid)
    const r = await oneRun(host, 64)
    const cpu1 = cpuMs(host.pid)
    const self1 = cpuMs(process.pid)
    const c1 = await readCounters(host)
    await host.stop()
    const mb = r.bytes / 1e6
    const profFile = readdirSync(dir).find(f => f.endsWith('.cpuprofile'))
    return {
      kind,
      profiled: profile,
      mbps: r.mbps,
      bridgeCpuMsPerMb: round((cpu1 - cpu0) / mb, 2),
      clientCpuMsPerMb: round((self1 - self0) / mb, 2),
      ptyReads: c1.reads - c0.reads,
      avgReadBytes: round((c1.bytes - c0.bytes) / Math.max(1, c1.reads - c0.reads), 0),
      pauses: c1.pauses - c0.pauses,
      pausedMs: round(c1.pausedMs - c0.pausedMs, 0),
      frames: r.frames,
      acks: r.acks,
      profile: profFile ? summarizeProfile(path.join(dir, profFile)) : undefined,
    }
  }
  finally {
    await host.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

// ── coalesce: the proposed output batching, against today's bridge and the raw baseline ──

interface Variant { name: string, kind: 'full' | 'raw', options: HostOptions }

async function compareVariants(variants: Variant[], runs = 3, keystrokes = 1000) {
  const hosts = await Promise.all(variants.map(v => startHost(v.kind, { ...v.options, counters: true })))
  try {
    const stats = variants.map(v => ({ name: v.name, mbps: [] as number[], cpuMsPerMb: [] as number[], frames: 0, acks: 0, bytes: 0, reads: 0, echo: [] as number[] }))
    for (const h of hosts)
      await oneRun(h, 8)
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? [...hosts.keys()].reverse() : [...hosts.keys()]
      for (const k of order) {
        const h = hosts[k]!
        const st = stats[k]!
        const c0 = await readCounters(h)
        const cpu0 = cpuMs(h.pid)
        const r = await oneRun(h, 64)
        const c1 = await readCounters(h)
        st.mbps.push(r.mbps)
        st.cpuMsPerMb.push((cpuMs(h.pid) - cpu0) / (r.bytes / 1e6))
        st.frames += r.frames
        st.acks += r.acks
        st.bytes += r.bytes
        st.reads += c1.reads - c0.reads
      }
    }
    const terms = []
    for (const h of hosts)
      terms.push(await echoShell(h))
    for (let i = 0; i < keystrokes + 50; i++) {
      const ch = String.fromCharCode(0x61 + (i % 26))
      for (const k of i % 2 ? [...terms.keys()].reverse() : [...terms.keys()]) {
        const ms = await roundTrip(terms[k]!, ch)
        if (i >= 50)
          stats[k]!.echo.push(ms)
      }
    }
    await Promise.all(terms.map(t => t.close()))
    return stats.map(st => ({
      name: st.name,
      mbps: median(st.mbps),
      allMbps: st.mbps,
      bridgeCpuMsPerMb: round(median(st.cpuMsPerMb), 2),
      avgFrameBytes: round(st.bytes / st.frames, 0),
      avgPtyReadBytes: round(st.bytes / st.reads, 0),
      bytesPerAck: st.acks ? round(st.bytes / st.acks, 0) : null,
      echoP50Ms: round(percentile(st.echo, 50), 3),
      echoP99Ms: round(percentile(st.echo, 99), 3),
    }))
  }
  finally {
    await Promise.all(hosts.map(h => h.stop()))
  }
}

// ── watermarks: throughput and Ctrl-C latency per highWater/lowWater ─────────────────────

/**
 * A client that renders like xterm.js at a fixed `renderMbps`: each chunk is parsed in
 * arrival order, taking size/rate ms of a single busy thread, and acked (batched as the
 * browser does) once parsed. `yes` for `floodMs`, then Ctrl-C: ms until the prompt is parsed.
 */
async function slowRendererCtrlC(host: Host, renderMbps: number, floodMs: number) {
  const t: Terminal = await openTerminal(host, { manualAck: true })
  let queued = 0
  let renderedBytes = 0
  let tail = ''
  // One FIFO, one timer: chunks finish strictly in arrival order (separate timers per chunk
  // can fire out of order when their delays round differently).
  const fifo: { b: Buffer, doneAt: number }[] = []
  let busyUntil = now()
  let timer: NodeJS.Timeout | undefined
  const finish = () => {
    timer = undefined
    while (fifo.length > 0 && fifo[0]!.doneAt <= now()) {
      const { b } = fifo.shift()!
      queued -= b.length
      renderedBytes += b.length
      tail = (tail + b.toString('latin1')).slice(-64)
      t.rendered(b.length)
    }
    if (fifo.length > 0)
      timer = setTimeout(finish, Math.max(0, fifo[0]!.doneAt - now()))
  }
  t.onData = (b) => {
    queued += b.length
    busyUntil = Math.max(now(), busyUntil) + b.length / (renderMbps * 1e3)
    fifo.push({ b, doneAt: busyUntil })
    timer ??= setTimeout(finish, Math.max(0, busyUntil - now()))
  }
  const renderedPrompt = async (ms: number) => {
    const deadline = now() + ms
    while (!/\$ $/.test(tail)) {
      if (now() > deadline)
        throw new Error(`no prompt rendered within ${ms} ms (rendered ${renderedBytes} B, ${queued} B queued, ${JSON.stringify(t.stats)}, tail ${JSON.stringify(tail.slice(-30))})`)
      await sleep(2)
    }
  }
  try {
    await renderedPrompt(15_000)
    const r0 = renderedBytes
    t.type('yes\r')
    await sleep(floodMs)
    const rendered = renderedBytes - r0
    const backlog = queued
    const t0 = now()
    t.type('\x03')
    await renderedPrompt(30_000)
    return { ctrlCMs: round(now() - t0, 0), clientBacklogAtCtrlC: backlog, renderedMbps: round(rendered / 1e6 / (floodMs / 1000), 2) }
  }
  finally {
    clearTimeout(timer)
    await t.close()
  }
}

async function watermarkSweep(renderRates: number[]) {
  const configs: [number, number][] = [[16 * KiB, 4 * KiB], [32 * KiB, 8 * KiB], [64 * KiB, 16 * KiB], [128 * KiB, 16 * KiB], [256 * KiB, 32 * KiB], [1024 * KiB, 128 * KiB]]
  const out = []
  for (const [highWater, lowWater] of configs) {
    const host = await startHost('full', { session: { highWater, lowWater }, counters: true })
    try {
      await oneRun(host, 8)
      const c0 = await readCounters(host)
      const runs = [await oneRun(host, 32), await oneRun(host, 32), await oneRun(host, 32)]
      const c1 = await readCounters(host)
      const ctrlC: Record<string, { medianMs: number, maxMs: number, samples: Awaited<ReturnType<typeof slowRendererCtrlC>>[] }> = {}
      for (const rate of renderRates) {
        const samples = []
        for (let i = 0; i < (rate === Math.min(...renderRates) ? 3 : 1); i++)
          samples.push(await slowRendererCtrlC(host, rate, 3_000))
        const times = samples.map(x => x.ctrlCMs)
        ctrlC[`${rate}MBps`] = { medianMs: median(times), maxMs: Math.max(...times), samples }
      }
      const row = {
        highWater,
        lowWater,
        fastClientMbps: median(runs.map(r => r.mbps)),
        allMbps: runs.map(r => r.mbps),
        /** Pauses and time paused per 32 MiB of input (mean of the runs). */
        pausesPer32MiB: round((c1.pauses - c0.pauses) / runs.length, 0),
        pausedMsPer32MiB: round((c1.pausedMs - c0.pausedMs) / runs.length, 0),
        ctrlC,
      }
      out.push(row)
      progress(`  watermarks ${highWater / KiB}K/${lowWater / KiB}K: ${row.fastClientMbps} MB/s to a fast client (${row.allMbps.join(', ')}; ${row.pausesPer32MiB} pauses, ${row.pausedMsPer32MiB} ms paused per run); Ctrl-C ${Object.entries(ctrlC).map(([k, v]) => `@${k}: ${v.samples.map(x => `${x.ctrlCMs} ms (backlog ${x.clientBacklogAtCtrlC} B, ${x.renderedMbps} MB/s)`).join(' ')}`).join('; ')}`)
    }
    finally {
      await host.stop()
    }
  }
  // The raw baseline, to show what no flow control does with a slow renderer.
  const raw = await startHost('raw')
  try {
    const rate = Math.min(...renderRates)
    const r = await withTimeout(slowRendererCtrlC(raw, rate, 1_000), 150_000, 'raw bridge Ctrl-C').catch((err: Error) => ({ error: err.message }))
    progress(`  raw bridge (no flow control), 1 s of yes, renderer ${rate} MB/s: ${JSON.stringify(r)}`)
    return { configs: out, rawNoFlowControl: { renderMbps: rate, floodMs: 1_000, ...r } }
  }
  finally {
    await raw.stop()
  }
}

// ── browser: the real deck with other watermarks ─────────────────────────────────────────

async function browserVariants() {
  const variants: { name: string, session: { highWater: number, lowWater: number }, pty: PtyExperiment }[] = [
    { name: 'today (256K/32K)', session: { highWater: 256 * KiB, lowWater: 32 * KiB }, pty: {} },
    { name: '64K/16K', session: { highWater: 64 * KiB, lowWater: 16 * KiB }, pty: {} },
    { name: '256K/32K + coalesce 5 ms', session: { highWater: 256 * KiB, lowWater: 32 * KiB }, pty: { coalesce: 64 * KiB, coalesceMs: 5 } },
    { name: '64K/16K + coalesce 5 ms', session: { highWater: 64 * KiB, lowWater: 16 * KiB }, pty: { coalesce: 64 * KiB, coalesceMs: 5 } },
  ]
  const out = []
  for (const v of variants) {
    const deck = createTunedDeck({ session: v.session }, v.pty)
    try {
      const r = await measureFlood({ cwd: deck.dir, rounds: 4 })
      out.push({ name: v.name, ctrlCMs: r.ctrlCMs, ctrlCMaxMs: r.ctrlCMaxMs, renderedMbps: r.renderedMbps, rssGrowthMb: r.rssGrowthMb, rounds: r.all })
      progress(`  browser ${v.name}: Ctrl-C median ${r.ctrlCMs} ms, worst ${r.ctrlCMaxMs} ms, ${r.renderedMbps} MB/s rendered`)
    }
    finally {
      deck.remove()
    }
  }
  return out
}

// ── main ─────────────────────────────────────────────────────────────────────────────────

const SECTIONS = ['echo', 'cpu', 'coalesce', 'watermarks', 'browser'] as const

async function main(): Promise<number> {
  const inner = reexecInNetns()
  if (inner)
    return inner
  const args = process.argv.slice(2)
  const chosen = new Set(args.length ? args : SECTIONS)
  const file = path.join(BENCH_DIR, 'analysis.json')
  let out: Record<string, unknown> = {}
  try {
    out = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  }
  catch {}
  const t0 = now()
  out.machine = machineInfo()
  if (chosen.has('echo')) {
    progress('echo attribution …')
    out.echo = [await echoAttribution('full', 1500), await echoAttribution('raw', 1500)]
    progress(`  ${JSON.stringify(out.echo)}`)
  }
  if (chosen.has('cpu')) {
    progress('cpu per MB …')
    out.cpu = [await cpuPerMb('full', false), await cpuPerMb('raw', false), await cpuPerMb('full', true), await cpuPerMb('raw', true)]
    for (const c of out.cpu as Awaited<ReturnType<typeof cpuPerMb>>[])
      progress(`  ${c.kind}${c.profiled ? ' (profiled)' : ''}: ${c.mbps} MB/s, bridge ${c.bridgeCpuMsPerMb} ms CPU/MB, client ${c.clientCpuMsPerMb} ms CPU/MB, ${c.ptyReads} reads of ${c.avgReadBytes} B, ${c.pauses} pauses (${c.pausedMs} ms), ${c.frames} frames, ${c.acks} acks`)
  }
  if (chosen.has('coalesce')) {
    progress('coalesce experiment …')
    out.coalesce = await compareVariants([
      { name: 'full (today)', kind: 'full', options: {} },
      { name: 'full + coalesce 64 KiB / 5 ms', kind: 'full', options: { coalesce: 64 * KiB, coalesceMs: 5 } },
      { name: 'raw', kind: 'raw', options: {} },
    ], 5)
    for (const v of out.coalesce as Awaited<ReturnType<typeof compareVariants>>)
      progress(`  ${v.name}: ${v.mbps} MB/s (${v.allMbps.join(', ')}), ${v.bridgeCpuMsPerMb} ms CPU/MB, frames ${v.avgFrameBytes} B, reads ${v.avgPtyReadBytes} B, ${v.bytesPerAck ?? '–'} B/ack, echo p50 ${v.echoP50Ms} p99 ${v.echoP99Ms} ms`)
  }
  if (chosen.has('watermarks')) {
    progress('watermark sweep …')
    out.watermarks = await watermarkSweep([1, 10])
  }
  if (chosen.has('browser')) {
    progress('browser watermarks …')
    out.browser = await browserVariants()
  }
  out.runtimeS = round((now() - t0) / 1000, 1)
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`)
  progress(`written: bench/analysis.json`)
  return 0
}

main().then(code => process.exit(code), (err: unknown) => {
  console.error(err)
  process.exit(1)
})
