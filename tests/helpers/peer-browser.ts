/**
 * Chromium on the other machine: started inside the peer's network namespace (`ip netns exec`,
 * through a wrapper script Playwright runs as its executable), so every request it makes comes
 * from the peer's address. Playwright drives it over a pipe, not the network.
 */
import type { Browser } from 'playwright-core'
import type { Peer } from './netns.ts'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM } from '../../playwright.config.ts'

export async function launchOnPeer(peer: Peer): Promise<Browser> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peer-chromium-'))
  const wrapper = path.join(dir, 'chromium-in-netns.sh')
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${peer.ns} ${JSON.stringify(CHROMIUM)} "$@"\n`)
  chmodSync(wrapper, 0o755)
  const browser = await chromium.launch({ executablePath: wrapper, args: ['--no-sandbox'] })
  browser.on('disconnected', () => rmSync(dir, { recursive: true, force: true }))
  return browser
}
