import { defineConfig } from '@playwright/test'

/** Browser tests: Debian's Chromium (no browser download) against a real `slidev` dev server. */
export const DECK_PORT = 3131
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${DECK_PORT}`,
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: CHROMIUM },
  },
  webServer: {
    command: `./node_modules/.bin/slidev --bind 127.0.0.1 --port ${DECK_PORT}`,
    url: `http://localhost:${DECK_PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
})
