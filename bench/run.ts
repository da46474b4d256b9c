/**
 * npm run bench [-- sections...]   (sections: echo throughput flood deck first-open export rehearsal arrive prepare radar follow; default all)
 *
 * Measures what a presenter feels against the best this stack can do, in one run on one
 * machine, prints a table with the goals (✓/✗) and writes bench/results.json (a partial run
 * updates only its sections there). Runs inside a
 * private network namespace (loopback only, with a tunnel to the cluster's API) when it can:
 * see bench/netns.ts. BENCH_NETNS=0 runs it in place.
 */
import type { Results } from './report.ts'
import os from 'node:os'
import { measureArrive } from './arrive.ts'
import { measureDeckStart } from './deck-start.ts'
import { measureEcho } from './echo.ts'
import { measureExport } from './export.ts'
import { measureFirstOpen } from './first-open.ts'
import { measureFlood } from './flood.ts'
import { measureFollow } from './follow.ts'
import { machineInfo, now, progress, round } from './lib.ts'
import { openTunnelsInside, reexecInNetns } from './netns.ts'
import { measurePrepare } from './prepare.ts'
import { measureRadar } from './radar.ts'
import { measureRehearsal } from './rehearsal.ts'
import { goals, mergeResults, render, writeDocFigures, writeResults } from './report.ts'
import { measureThroughput } from './throughput.ts'

const SECTIONS = ['echo', 'throughput', 'flood', 'deck', 'first-open', 'export', 'rehearsal', 'arrive', 'prepare', 'radar', 'follow'] as const
type Section = typeof SECTIONS[number]

async function main(): Promise<number> {
  const inner = reexecInNetns()
  if (inner)
    return inner
  await openTunnelsInside()
  const args = process.argv.slice(2)
  const unknown = args.filter(a => !(SECTIONS as readonly string[]).includes(a))
  if (unknown.length > 0) {
    console.error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(' ')}`)
    return 2
  }
  const chosen = new Set<Section>(args.length > 0 ? args as Section[] : SECTIONS)
  const t0 = now()
  const results: Results = { machine: { ...machineInfo(), netns: process.env.BENCH_IN_NETNS === '1' }, errors: {} }
  progress(`bench: ${[...chosen].join(', ')} on ${results.machine.cpu} (${results.machine.cores} cores), load ${results.machine.load.join(' ')}`)

  const section = async (name: Section, fn: () => Promise<void>) => {
    if (!chosen.has(name))
      return
    const s0 = now()
    progress(`${name} …`)
    try {
      await fn()
      progress(`${name} done in ${round((now() - s0) / 1000, 1)} s`)
    }
    catch (err) {
      results.errors[name] = (err as Error).stack ?? String(err)
      progress(`${name} FAILED: ${(err as Error).message}`)
    }
  }

  await section('echo', async () => {
    results.echo = await measureEcho()
    const e = results.echo
    progress(`  echo p50 ${e.p50Ms} ms (raw ${e.rawP50Ms}), p99 ${e.p99Ms} ms (raw ${e.rawP99Ms}): medians of ${e.runs} runs`)
  })
  await section('throughput', async () => {
    results.throughput = await measureThroughput()
  })
  await section('flood', async () => {
    results.flood = await measureFlood()
    const f = results.flood
    progress(`  Ctrl-C → prompt ${f.ctrlCMs} ms median, ${f.ctrlCMaxMs} ms worst; RSS ${f.rssBeforeMb} → peak ${f.rssPeakMb} → ${f.rssAfterMb} MB`)
  })
  await section('deck', async () => {
    const d = await measureDeckStart()
    results.deck = { ...results.deck, startRuns: d.runs, startMs: d.startMs, plainStartMs: d.plainStartMs, startRatio: d.ratio, startMinMs: d.minMs, plainStartMinMs: d.plainMinMs, httpMs: d.httpMs, plainHttpMs: d.plainHttpMs, requests: d.requests, plainRequests: d.plainRequests, starts: d.all }
  })
  await section('first-open', async () => {
    const o = await measureFirstOpen()
    results.deck = { ...results.deck, firstOpenRuns: o.runs, firstOpenReloads: o.reloads, coldFirstSlideMs: o.coldFirstSlideMs, plainColdFirstSlideMs: o.plainColdFirstSlideMs, warmFirstSlideMs: o.warmFirstSlideMs, plainWarmFirstSlideMs: o.plainWarmFirstSlideMs }
  })
  await section('export', async () => {
    const x = await measureExport()
    results.deck = { ...results.deck, exportRuns: x.runs, exportMsPerSlide: x.exportMsPerSlide, exportMs: x.ms, pages: x.pages, plainExport: x.plain, marginalMsPerSlide: x.marginalMsPerSlide }
  })
  await section('rehearsal', async () => {
    results.rehearsal = await measureRehearsal()
  })
  await section('arrive', async () => {
    results.arrive = await measureArrive()
  })
  await section('prepare', async () => {
    results.prepare = await measurePrepare()
  })
  await section('radar', async () => {
    results.radar = await measureRadar()
  })
  await section('follow', async () => {
    results.follow = await measureFollow()
  })

  results.machine.loadAfter = os.loadavg().map(l => round(l, 2))
  results.runtimeS = round((now() - t0) / 1000, 1)
  results.goals = goals(results)
  writeResults(mergeResults(results, [...chosen]))
  // The document shows the latest complete run; a partial run only updates its sections in the JSON.
  const doc = chosen.size === SECTIONS.length && writeDocFigures(results)
  console.log(`\n${render(results)}\n\nWritten: bench/results.json${doc ? ', docs/BENCHMARKS.md' : ''}`)
  return Object.keys(results.errors).length > 0 ? 1 : 0
}

main().then(code => process.exit(code), (err: unknown) => {
  console.error(err)
  process.exit(1)
})
