// `npm run export` makes a PDF with one page per slide, Korean as real (extractable) text and a
// CJK font embedded. The test runs package.json's own export script, only redirecting --output
// to a temporary file, then reads the PDF with poppler-utils (pdfinfo, pdftotext, pdffonts).
import { execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { parseCast, RECORDING_FILE } from '../../common/asciicast.ts'
import { Screen } from '../../server/session/screen.ts'
import { castOutput } from './recorded-screen.ts'

const run = promisify(execFile)
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** package.json's export script with its --output pointed at `output`. */
async function exportCommand(output: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  const script = pkg.scripts?.export
  if (!script || !/--output\s+\S+/.test(script))
    throw new Error('package.json has no "export" script with --output')
  return script.replace(/--output\s+\S+/, `--output '${output.replace(/'/g, `'\\''`)}'`)
}

/** Runs a shell command in the repo like `npm run` does (node_modules/.bin on PATH). */
function sh(command: string, timeoutMs: number): Promise<{ code: number | null, log: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('sh', ['-c', command], {
      cwd: repo,
      env: { ...process.env, PATH: `${join(repo, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let log = ''
    child.stdout.on('data', (d: Buffer) => { log += d.toString() })
    child.stderr.on('data', (d: Buffer) => { log += d.toString() })
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL') }
      catch {}
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, log })
    })
  })
}

const squash = (s: string) => s.replace(/\s+/g, '')

test('npm run export: one page per slide, extractable Korean, embedded CJK font', async ({ page }) => {
  test.setTimeout(20 * 60_000)

  // the deck as the dev server sees it: slide count and titles
  // (a load can be cut short when the machine's network interfaces change; try a few times)
  for (let attempt = 1; ; attempt++) {
    await page.goto('/1')
    const ready = await page.waitForFunction(() => Boolean((window as unknown as { __slidev__?: unknown }).__slidev__), undefined, { timeout: 30_000 })
      .then(() => true, () => false)
    if (ready)
      break
    expect(attempt, 'the deck did not load at /1').toBeLessThan(4)
  }
  const deck = await page.evaluate(() => {
    const nav = (window as unknown as { __slidev__: { nav: { total: number, slides: { meta: { slide: { title?: string, frontmatter: { layout?: string } } } }[] } } }).__slidev__.nav
    return {
      total: nav.total,
      titles: nav.slides.map(s => s.meta.slide.title ?? ''),
      sections: nav.slides.filter(s => s.meta.slide.frontmatter.layout === 'section').map(s => s.meta.slide.title ?? ''),
    }
  })
  expect(deck.total).toBeGreaterThan(20)

  const dir = await mkdtemp(join(tmpdir(), 'deck-pdf-'))
  try {
    const pdf = join(dir, 'kubernetes-basics.pdf')
    const command = await exportCommand(pdf)

    // A first run in a fresh checkout may see Vite re-optimize dependencies mid-export and
    // reload the page under the exporter; one retry covers that, a real failure fails twice.
    let result = await sh(command, 12 * 60_000)
    if (result.code !== 0)
      result = await sh(command, 12 * 60_000)
    expect(result.code, result.log.slice(-4000)).toBe(0)

    // one page per slide
    const info = (await run('pdfinfo', [pdf])).stdout
    const pages = Number(info.match(/^Pages:\s+(\d+)/m)?.[1])
    expect(pages).toBe(deck.total)

    // Korean is real text, and every slide title is in it (section titles included)
    const text = (await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout
    expect((text.match(/[가-힣]/g) ?? []).length).toBeGreaterThan(2000)
    const flat = squash(text)
    const missing = deck.titles
      .map(t => t.replace(/[`*_]/g, ''))
      .filter(t => t && !flat.includes(squash(t)))
    expect(missing).toEqual([])
    expect(deck.sections.length).toBeGreaterThanOrEqual(5)
    for (const section of deck.sections)
      expect(flat).toContain(squash(section))

    // the pages per slide follow the deck's order: each title on its own page
    const perPage = text.split('\f')
    deck.titles.forEach((title, i) => {
      const t = squash(title.replace(/[`*_]/g, ''))
      if (t)
        expect(squash(perPage[i] ?? ''), `page ${i + 1}`).toContain(t)
    })

    // a CJK font is embedded
    const fonts = (await run('pdffonts', [pdf])).stdout
    const cjk = fonts.split('\n').filter(l => /Noto\s*Sans\s*(KR|CJK)|NotoSans(KR|CJK)/i.test(l))
    expect(cjk.length, fonts).toBeGreaterThan(0)
    expect(cjk.some(l => /\byes\b/.test(l)), fonts).toBe(true)

    // every demo slide prints what its demo really printed when rehearsed: the last line of
    // output on its recording's final screen is on that page, as text
    let demoPages = 0
    for (const [i, pageText] of perPage.entries()) {
      const id = pageText.match(/demo · ([a-z0-9-]+)/)?.[1]
      const file = id && join(repo, 'demos', id, RECORDING_FILE)
      if (!file || !existsSync(file))
        continue
      const cast = parseCast(readFileSync(file, 'utf8'))
      const screen = new Screen(cast.header.width, cast.header.height)
      screen.write(new TextEncoder().encode(castOutput(cast)))
      await screen.settled()
      const lines = screen.text().split('\n').map(l => l.trim())
      screen.dispose()
      const last = lines.filter(l => l.length > 3 && !/[$#] ?$/.test(l)).at(-1)!
      expect(squash(pageText), `page ${i + 1} (${id}) shows its recording`).toContain(squash(last))
      demoPages++
    }
    expect(demoPages).toBeGreaterThanOrEqual(5)
  }
  finally {
    await rm(dir, { recursive: true, force: true })
  }
})
