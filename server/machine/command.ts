/** The one way the server runs a program: no shell, bounded in time and output, never throws. */
import { execFile } from 'node:child_process'

export interface CommandResult { ok: boolean, stdout: string, stderr: string }

export function run(file: string, args: string[], timeoutMs = 10_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr || (err && !stderr ? err.message : '')) })
    })
  })
}
