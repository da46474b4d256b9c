/**
 * What the follow page loads, built once when follow mode starts and served by the follow
 * listener: its script (client/follow/main.ts with xterm.js, bundled by esbuild), its styles
 * (the deck's fonts, xterm's and the page's), the font files those name, and the QR code of its
 * address. No request leaves the deck.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { build } from 'esbuild'
import { renderSVG } from 'uqr'

export interface FollowAssets {
  script: string
  styles: string
  /** The font files the styles name (`font-<file>` under the page), by that name: their paths. */
  fonts: Map<string, string>
}

/**
 * The deck's own fonts, as its pages load them (styles/index.ts, components/LiveTerminal.vue):
 * Noto Sans KR for text, Nanum Gothic Coding for the terminal (Hangul exactly two cells wide),
 * Noto Sans Mono for code. Each CSS file declares unicode-range slices; a phone fetches only the
 * slices its text needs.
 */
const FONT_CSS = ['noto-sans-kr/400.css', 'noto-sans-kr/700.css', 'nanum-gothic-coding/400.css', 'nanum-gothic-coding/700.css', 'noto-sans-mono/400.css', 'noto-sans-mono/700.css']

/** The fonts' @font-face rules, their `url(./files/…)` pointing at the listener (`font-…`), and the files. */
function deckFonts(require: NodeJS.Require): { css: string, fonts: Map<string, string> } {
  const fonts = new Map<string, string>()
  const css = FONT_CSS.map((f) => {
    const file = require.resolve(`@fontsource/${f}`)
    return readFileSync(file, 'utf8').replace(/url\(\.\/files\/([\w.-]+)\)/g, (_m, name: string) => {
      fonts.set(`font-${name}`, path.join(path.dirname(file), 'files', name))
      return `url(font-${name})`
    })
  })
  return { css: css.join('\n'), fonts }
}

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
  const { css, fonts } = deckFonts(require)
  return { script: result.outputFiles[0]!.text, styles: `${css}\n${xtermCss}\n${pageCss}`, fonts }
}

/** The address as a QR code, an SVG drawn here (uqr): nothing is fetched from a QR service. */
export function qrSvg(url: string): string {
  return renderSVG(url, { border: 2 })
}
