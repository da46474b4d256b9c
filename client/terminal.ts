/**
 * An xterm.js terminal as the deck needs it: the demo's fixed size, text sized by font size
 * (never by CSS scaling), Korean and emoji widths from Unicode 11, clickable links, WebGL with
 * the DOM renderer as fallback (and DOM always in print, where text must stay text).
 */
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { WebglAddon } from '@xterm/addon-webgl'
import { Terminal } from '@xterm/xterm'
import { TERMINAL_FONT } from './terminal-font.ts'

export interface DeckTerminal {
  term: Terminal
  /** Sets the grid and picks the largest font at which it fits the element. */
  setGrid: (cols: number, rows: number) => void
  /** Re-fits after the element changed size. */
  refit: () => void
  dispose: () => void
}

const THEME = {
  background: '#0f172a',
  foreground: '#e2e8f0',
  cursor: '#f8fafc',
  selectionBackground: '#334155',
}

/** The width and height of one cell at font size 100px. */
function measureCell(fontFamily: string, lineHeight: number): { width: number, height: number } {
  const probe = document.createElement('span')
  probe.textContent = 'W'.repeat(50)
  Object.assign(probe.style, { position: 'absolute', visibility: 'hidden', whiteSpace: 'pre', fontFamily, fontSize: '100px', lineHeight: 'normal' })
  document.body.append(probe)
  const cell = { width: probe.offsetWidth / 50, height: probe.offsetHeight * lineHeight }
  probe.remove()
  return cell
}

export function createTerminal(el: HTMLElement, opts: { cols: number, rows: number, webgl: boolean, interactive: boolean }): DeckTerminal {
  const term = new Terminal({
    cols: opts.cols,
    rows: opts.rows,
    allowProposedApi: true, // unicode11 needs it
    fontFamily: TERMINAL_FONT, // Hangul two cells wide (terminal-font.ts)
    fontSize: 16,
    lineHeight: 1.0,
    scrollback: 2000,
    theme: THEME,
    cursorBlink: opts.interactive,
    disableStdin: !opts.interactive,
  })
  const unicode = new Unicode11Addon()
  term.loadAddon(unicode)
  term.unicode.activeVersion = '11'
  term.loadAddon(new WebLinksAddon())
  term.open(el)
  if (opts.webgl) {
    try {
      const webgl = new WebglAddon()
      webgl.onContextLoss(() => webgl.dispose()) // falls back to the DOM renderer
      term.loadAddon(webgl)
    }
    catch {
      // No WebGL here (e.g. headless without GPU): the DOM renderer stays.
    }
  }
  let grid = { cols: opts.cols, rows: opts.rows }

  const refit = () => {
    const width = el.clientWidth
    const height = el.clientHeight
    if (!width || !height)
      return
    // Cell size is linear in font size: measure the font once at 100px, in layout pixels
    // (immune to the slide's CSS transform), and take the largest size at which the grid fits.
    const cell = measureCell(term.options.fontFamily!, term.options.lineHeight ?? 1)
    const size = Math.min(width / (grid.cols * cell.width), height / (grid.rows * cell.height)) * 100 * 0.97
    term.options.fontSize = Math.max(4, Math.floor(size * 2) / 2)
    if (term.cols !== grid.cols || term.rows !== grid.rows)
      term.resize(grid.cols, grid.rows)
  }
  // Web fonts change the cell size when they arrive. The Korean font comes in unicode-range
  // slices, each fetched when first needed: redraw then, so no glyph keeps the fallback's shape.
  void document.fonts.ready.then(refit)
  const redraw = () => {
    term.clearTextureAtlas()
    term.refresh(0, term.rows - 1)
  }
  document.fonts.addEventListener('loadingdone', redraw)

  return {
    term,
    setGrid(cols, rows) {
      grid = { cols, rows }
      term.resize(cols, rows)
      refit()
      // The renderer measures its cell size on the first frame: fit again once it has.
      requestAnimationFrame(refit)
    },
    refit,
    dispose() {
      document.fonts.removeEventListener('loadingdone', redraw)
      term.dispose()
    },
  }
}
