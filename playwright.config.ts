import { defineConfig } from '@playwright/test'
import { chromiumOrExit } from './server/doctor/chromium.ts'

/** Browser tests: the machine's Chromium (server/doctor/chromium.ts finds it) against a real `slidev` dev server. */
/** DECK_PORT moves it, so that two checkouts can run their browser tests side by side. */
export const DECK_PORT = Number(process.env.DECK_PORT ?? 3131)
export const CHROMIUM = chromiumOrExit()

/**
 * The deck under test sees no Docker engine and no cluster: browsing its demo slides must never
 * touch the developer's current kubectl context or Docker (those demos fall back to their
 * recordings). CI exercises the real engines through `npm run rehearse` instead.
 */
export const DECK_ENV: Record<string, string> = {
  KUBECONFIG: '/nonexistent/k8s-basics-tests/kubeconfig',
  DOCKER_HOST: 'unix:///nonexistent/k8s-basics-tests/docker.sock',
}

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
  // The deck under test: started by dev/slidev.ts, as the other tests and the bench start it.
  globalSetup: './tests/e2e/deck-for-tests.ts',
})
