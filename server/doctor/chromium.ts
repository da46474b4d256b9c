/**
 * Finds the Chromium that export, the browser tests and the bench drive. One place, so that a
 * machine without one gets the same one-line answer from each: where we looked and how to get it.
 */
import { existsSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export type ChromiumFound = { ok: true, path: string, source: string } | { ok: false, error: string }

/** Distribution packages and the usual installs, most specific first. */
const SYSTEM_PATHS = [
  '/usr/bin/chromium', // Debian, Arch
  '/usr/bin/chromium-browser', // Ubuntu, Fedora
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]

export const CHROMIUM_HELP = 'install Chromium (Debian/Ubuntu: apt-get install chromium; Fedora: dnf install chromium; macOS: brew install --cask chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary'

/** Browsers Playwright downloaded into its cache (`npx playwright install chromium`), newest first. */
function playwrightBrowsers(cacheDir: string, list: (dir: string) => string[]): string[] {
  const builds = list(cacheDir).filter(d => /^chromium-\d+$/.test(d)).sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)))
  return builds.flatMap(b => ['chrome-linux64/chrome', 'chrome-linux/chrome', 'chrome-mac/Chromium.app/Contents/MacOS/Chromium'].map(p => path.join(cacheDir, b, p)))
}

export interface ChromiumLookup {
  env?: NodeJS.ProcessEnv
  exists?: (p: string) => boolean
  list?: (dir: string) => string[]
  home?: string
}

export function findChromium({ env = process.env, exists = existsSync, list = safeList, home = os.homedir() }: ChromiumLookup = {}): ChromiumFound {
  if (env.CHROMIUM_PATH) {
    return exists(env.CHROMIUM_PATH)
      ? { ok: true, path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' }
      : { ok: false, error: `CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist: ${CHROMIUM_HELP}` }
  }
  const system = SYSTEM_PATHS.find(p => exists(p))
  if (system)
    return { ok: true, path: system, source: 'system' }
  const cache = env.PLAYWRIGHT_BROWSERS_PATH || path.join(home, '.cache', 'ms-playwright')
  const cached = playwrightBrowsers(cache, list).find(p => exists(p))
  if (cached)
    return { ok: true, path: cached, source: 'Playwright cache' }
  return { ok: false, error: `no Chromium found (CHROMIUM_PATH unset; looked in ${SYSTEM_PATHS.length} usual places and ${cache}): ${CHROMIUM_HELP}` }
}

/** The path, or exits with the one-line answer (for commands and test configs). */
export function chromiumOrExit(): string {
  const found = findChromium()
  if (found.ok)
    return found.path
  console.error(`✗ ${found.error}`)
  process.exit(1)
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  }
  catch {
    return []
  }
}
