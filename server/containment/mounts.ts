/** This process's mount table, read once per call from `/proc/self/mountinfo` (proc(5)). */
import { readFileSync } from 'node:fs'

export interface Mount { point: string, root: string, fstype: string, options: string[] }

/** The kernel writes space, tab, newline and backslash in a path as octal escapes (`\040`). */
const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))

/** Every mount; throws when /proc is not there. */
export function mounts(): Mount[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((line) => {
    const f = line.split(' ')
    const dash = f.indexOf('-') // the optional fields end at the separator
    return { point: unescape(f[4]!), root: unescape(f[3]!), fstype: f[dash + 1]!, options: (f[dash + 3] ?? '').split(',') }
  })
}
