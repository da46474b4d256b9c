/**
 * `slidev export` (PDF) time per slide: the deck as package.json's export script runs it, and
 * the plain three-slide deck for the fixed part (server start, browser launch) every export
 * pays. Pages are counted with `pdfinfo`; the time is the whole command's wall time.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPlainDeck } from './plain-deck.ts'
import { CHROMIUM, progress, REPO, round, runCommand, SLIDEV_BIN } from './lib.ts'

export interface ExportRun { ms: number, pages: number, msPerSlide: number }

export interface ExportResult {
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

export async function measureExport(): Promise<ExportResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-export-'))
  const plainDeck = createPlainDeck()
  try {
    const plain = await exportDeck(plainDeck.dir, path.join(tmp, 'plain.pdf'))
    progress(`  export plain: ${plain.pages} pages in ${plain.ms} ms`)
    const deck = await exportDeck(REPO, path.join(tmp, 'deck.pdf'))
    progress(`  export deck: ${deck.pages} pages in ${deck.ms} ms`)
    return {
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
