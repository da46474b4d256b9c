/**
 * `slidev export` (PDF) time per slide: the deck as package.json's export script runs it, and
 * the plain three-slide deck for the fixed part (server start, browser launch) every export
 * pays. Pages are counted with `pdfinfo`; the time is the whole command's wall time, the median
 * of a few runs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CHROMIUM, progress, REPO, round } from './lib.ts'
import { SLIDEV_BIN } from '../dev/slidev.ts'
import { runCommand } from './processes.ts'
import { createPlainDeck } from '../dev/decks.ts'

export interface ExportRun { ms: number, pages: number, msPerSlide: number }

export interface ExportResult {
  /** Exports of each deck; the figures are the medians. */
  runs: number
  ms: number
  pages: number
  exportMsPerSlide: number
  plain: ExportRun
  /** (deck − plain) / (deck pages − plain pages): the cost of one more slide. */
  marginalMsPerSlide: number
}

async function pdfPages(file: string): Promise<number> {
  const info = await runCommand('pdfinfo', [file], { timeoutMs: 30_000 })
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info.output)?.[1])
  if (info.code !== 0 || !pages)
    throw new Error(`pdfinfo ${file} failed:\n${info.output}`)
  return pages
}

async function exportDeck(cwd: string, out: string): Promise<ExportRun> {
  const r = await runCommand(process.execPath, [SLIDEV_BIN, 'export', '--executable-path', CHROMIUM, '--timeout', '60000', '--output', out], { cwd, timeoutMs: 300_000 })
  if (r.code !== 0)
    throw new Error(`slidev export failed (exit ${r.code}):\n${r.output.slice(-2000)}`)
  const pages = await pdfPages(out)
  return { ms: round(r.ms, 0), pages, msPerSlide: round(r.ms / pages, 0) }
}

/** The run with the median time among `runs` exports, alternating with the other deck. */
const medianRun = (all: ExportRun[]): ExportRun => [...all].sort((a, b) => a.ms - b.ms)[Math.floor(all.length / 2)]!

export async function measureExport(runs = 3): Promise<ExportResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-export-'))
  const plainDeck = createPlainDeck()
  try {
    const plains: ExportRun[] = []
    const decks: ExportRun[] = []
    for (let i = 0; i < runs; i++) {
      plains.push(await exportDeck(plainDeck.dir, path.join(tmp, 'plain.pdf')))
      decks.push(await exportDeck(REPO, path.join(tmp, 'deck.pdf')))
      progress(`  export run ${i + 1}/${runs}: plain ${plains.at(-1)!.pages} pages in ${plains.at(-1)!.ms} ms, deck ${decks.at(-1)!.pages} pages in ${decks.at(-1)!.ms} ms`)
    }
    const plain = medianRun(plains)
    const deck = medianRun(decks)
    return {
      runs,
      ms: deck.ms,
      pages: deck.pages,
      exportMsPerSlide: deck.msPerSlide,
      plain,
      marginalMsPerSlide: round((deck.ms - plain.ms) / Math.max(1, deck.pages - plain.pages), 0),
    }
  }
  finally {
    plainDeck.remove()
    rmSync(tmp, { recursive: true, force: true })
  }
}
