/** The last `n` non-empty lines of a text (a script's output, a screen), for error messages. */
export function lastLines(s: string, n = 8): string {
  return s.split('\n').filter(l => l.trim() !== '').slice(-n).join('\n')
}
