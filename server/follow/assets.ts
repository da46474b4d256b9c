/**
 * What the follow page loads, built once when follow mode starts and served from memory by the
 * follow listener: its script (client/follow/main.ts with xterm.js, bundled by esbuild), its
 * styles (xterm's and the page's) and the QR code of its address. No request leaves the deck.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { build } from 'esbuild'
import { renderSVG } from 'uqr'

export interface FollowAssets { script: string, styles: string }

export async function buildFollowAssets(root: string): Promise<FollowAssets> {
  const result = await build({
    entryPoints: [path.join(root, 'client/follow/main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    logLevel: 'silent',
  })
  const require = createRequire(path.join(root, 'package.json'))
  const xtermCss = readFileSync(require.resolve('@xterm/xterm/css/xterm.css'), 'utf8')
  const pageCss = readFileSync(path.join(root, 'client/follow/follow.css'), 'utf8')
  return { script: result.outputFiles[0]!.text, styles: `${xtermCss}\n${pageCss}` }
}

/** The address as a QR code, an SVG drawn here (uqr): nothing is fetched from a QR service. */
export function qrSvg(url: string): string {
  return renderSVG(url, { border: 2 })
}
