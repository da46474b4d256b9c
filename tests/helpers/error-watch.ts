/** What must not happen while a test runs: unhandled errors, writes to a pty that is gone. */
import { vi } from 'vitest'

/** Unhandled rejections and exceptions while a test file runs: none may happen. */
export function collectUnhandled() {
  const errors: unknown[] = []
  const record = (err: unknown) => errors.push(err)
  return {
    errors,
    start() {
      process.on('unhandledRejection', record)
      process.on('uncaughtException', record)
    },
    stop() {
      process.off('unhandledRejection', record)
      process.off('uncaughtException', record)
    },
  }
}

/**
 * node-pty's reports of keystrokes written to a pty that is gone ("Unhandled pty write error",
 * on console.error), counted from now until `restore()`.
 */
export function watchPtyWriteErrors() {
  const spy = vi.spyOn(console, 'error')
  return {
    count: () => spy.mock.calls.filter(a => String(a[0]).includes('pty write error')).length,
    restore: () => spy.mockRestore(),
  }
}
