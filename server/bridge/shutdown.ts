/** Ending every session's processes when the server itself is asked to stop. */
import type { Bridge } from './bridge.ts'

const bridges = new Set<Bridge>()
let installed = false
let closing = false

/**
 * On SIGINT/SIGTERM, close every registered bridge (each session's whole process group is
 * gone when this resolves) and only then exit; on a plain exit, SIGKILL what is left.
 */
export function closeOnShutdown(bridge: Bridge): void {
  bridges.add(bridge)
  if (!installed) {
    installed = true
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const code = 128 + (signal === 'SIGINT' ? 2 : 15)
      // `on`, not `once`: a second Ctrl-C while closing would otherwise kill us by the default
      // action, skipping the 'exit' hook and leaving every session's processes running.
      process.on(signal, () => {
        if (closing) {
          for (const b of bridges)
            b.killNow()
          process.exit(code)
        }
        closing = true
        void Promise.all([...bridges].map(b => b.close())).finally(() => {
          process.exit(code)
        })
      })
    }
    process.once('exit', () => {
      for (const b of bridges)
        b.killNow()
    })
  }
}
