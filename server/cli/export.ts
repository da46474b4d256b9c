/**
 * npm run export: `slidev export` with the Chromium that server/doctor/chromium.ts finds. Arguments pass
 * through (package.json gives --output; `npm run export -- --with-clicks` adds a page per click).
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { chromiumOrExit } from '../doctor/chromium.ts'

const slidev = createRequire(import.meta.url).resolve('@slidev/cli/bin/slidev.mjs')
const args = ['export', '--executable-path', chromiumOrExit(), '--timeout', '60000', ...process.argv.slice(2)]
const child = spawn(process.execPath, [slidev, ...args], { stdio: 'inherit' })
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
