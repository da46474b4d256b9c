/** `slidev build`: no server behind the page, so demo slides replay their recordings. */
import type { AddressInfo } from 'node:net'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { recordedScreen } from './recorded-screen.ts'
import { DOM_RENDERER, screenText } from './screen.ts'

test.use({ launchOptions: DOM_RENDERER })

const out = mkdtempSync(path.join(os.tmpdir(), 'deck-build-'))
let server: http.Server
let base = ''

test.beforeAll(async () => {
  test.setTimeout(300_000)
  await new Promise<void>((resolve, reject) => {
    execFile('./node_modules/.bin/slidev', ['build', '--out', out], { timeout: 280_000 }, err => (err ? reject(err) : resolve()))
  })
  // A static host with the single-page fallback Slidev's history routes need.
  server = http.createServer((req, res) => {
    const file = path.join(out, decodeURIComponent((req.url ?? '/').split('?')[0]!))
    const target = file.startsWith(out) && existsSync(file) && !file.endsWith('/') ? file : path.join(out, 'index.html')
    const type = target.endsWith('.js') ? 'text/javascript' : target.endsWith('.css') ? 'text/css' : target.endsWith('.html') ? 'text/html' : 'application/octet-stream'
    res.writeHead(200, { 'content-type': type }).end(readFileSync(target))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

test.afterAll(() => {
  server?.close()
  rmSync(out, { recursive: true, force: true })
})

test('the static build replays the demo recording step by step on clicks, and opens no socket', async ({ page }) => {
  const sockets: string[] = []
  page.on('websocket', ws => sockets.push(ws.url()))
  await page.goto(`${base}/shell`)
  const terminal = page.locator('.live-terminal[data-demo="shell"]')
  await expect(terminal).toHaveAttribute('data-status', 'recording')
  await expect(terminal.locator('.live-terminal__status')).toHaveText('녹화')
  const [prompt] = await recordedScreen('shell', 0)
  await expect.poll(() => screenText(terminal), { timeout: 20_000 }).toContain(prompt!.trim())
  expect(await screenText(terminal)).not.toContain('안녕')

  for (const step of [1, 2]) {
    await page.keyboard.press('ArrowRight')
    await expect(terminal).toHaveAttribute('data-step', String(step))
    const expected = await recordedScreen('shell', step)
    await expect.poll(() => screenText(terminal), { timeout: 20_000 }).toContain(expected.at(-2)!)
    if (step === 1)
      expect(await screenText(terminal)).not.toContain('uname')
  }
  expect(sockets.filter(u => u.includes('__live-terminal'))).toEqual([])
})
