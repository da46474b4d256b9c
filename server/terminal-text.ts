/** Terminal output as plain text, for matching expectations: escape sequences and CRs removed. */

// CSI ... final byte, OSC ... BEL/ST, and two-byte escapes (charset selection, keypad modes).
const ANSI = /\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[()#][0-9A-Za-z]|[=>78cDEHMNOZ])/g

export function plainText(s: string): string {
  return s.replace(ANSI, '').replace(/\r+\n/g, '\n').replace(/[^\n]*\r(?!\n)/g, '').replace(/[\x00-\x08\x0B-\x1F\x7F]/g, '')
}

/** The last `n` non-empty lines, for error messages. */
export function lastLines(s: string, n = 8): string {
  return s.split('\n').filter(l => l.trim() !== '').slice(-n).join('\n')
}
