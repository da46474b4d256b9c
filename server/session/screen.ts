/**
 * The screen the audience sees, rendered from the pty's bytes by the same terminal emulator as
 * the browser's (@xterm/headless, the same version as @xterm/xterm): a line overwritten with
 * \r or \b, a progress bar redrawn with cursor movement, a line erased, all read as they
 * finally show, not as the bytes that drew them.
 */
import type { IMarker, Terminal as HeadlessTerminal } from '@xterm/headless'
import headless from '@xterm/headless'

// The package is CommonJS: Node's ESM loader sees only its default export.
const { Terminal } = headless

/** Lines kept above the viewport: a step's output longer than this loses its start (and memory stays bounded). */
const SCROLLBACK = 10_000

export class Screen {
  private readonly term: HeadlessTerminal

  constructor(cols: number, rows: number) {
    this.term = new Terminal({ cols, rows, scrollback: SCROLLBACK, allowProposedApi: true })
  }

  /** `parsed`: called once these bytes are on the screen. */
  write(bytes: Uint8Array, parsed?: () => void): void {
    this.term.write(bytes, parsed)
  }

  /** Blank, as a new shell's window is. */
  reset(): void {
    this.term.reset()
  }

  /** Resolves once everything written so far is on the screen (xterm parses asynchronously). */
  settled(): Promise<void> {
    return new Promise(resolve => this.term.write('', resolve))
  }

  /** Marks the line the cursor is on now; it follows the line as the buffer scrolls. */
  markCursorLine(): IMarker {
    const marker = this.term.registerMarker(0)
    if (!marker)
      throw new Error('the headless terminal refused a marker')
    return marker
  }

  /**
   * The whole screen, scrollback included, to the last line with anything on it: one line of
   * text per logical line (soft-wrapped rows joined), trailing blank cells dropped, written
   * spaces kept (a prompt's "$ ").
   */
  text(): string {
    return this.lines(0).join('\n')
  }

  /**
   * What was printed after the logical line `marker` is on (the line a command was typed on),
   * as `text()` reads it; everything, if that line is gone (scrolled out, or the screen and
   * its scrollback were cleared).
   */
  textAfter(marker: IMarker): string {
    return marker.isDisposed ? this.text() : this.lines(marker.line).slice(1).join('\n')
  }

  /** The rows in view now, as a viewer of the terminal sees them (trailing blank cells dropped). */
  viewport(): string[] {
    const buffer = this.term.buffer.active
    return Array.from({ length: this.term.rows }, (_, y) => buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '')
  }

  private lines(start: number): string[] {
    const buffer = this.term.buffer.active
    const lines: string[] = []
    for (let y = start; y < buffer.length; y++) {
      const line = buffer.getLine(y)
      if (!line)
        break
      const text = line.translateToString(true)
      if (line.isWrapped && lines.length > 0)
        lines[lines.length - 1] += text
      else
        lines.push(text)
    }
    while (lines.length > 0 && lines.at(-1) === '')
      lines.pop()
    return lines
  }

  dispose(): void {
    this.term.dispose()
  }
}
