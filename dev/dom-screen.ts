/**
 * A terminal's screen as the page draws it: the rows of xterm.js's DOM renderer (the test and
 * bench browsers have no WebGL, so the terminal falls back to it, as on a machine without a GPU).
 * Runs in the page: pass it to `evaluate` on the `.xterm-rows` element, or inline it as
 * `(${screenRows})(document.querySelector('… .xterm-rows'))` in page code.
 */
export function screenRows(rows: Element | null): string[] {
  return [...(rows?.children ?? [])].map(r => (r.textContent ?? '').replace(/\u00A0/g, ' '))
}
