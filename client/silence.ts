/**
 * A server that has gone quiet. The bridge beats every `intervalMs` (its `beat` message); a
 * window that then hears nothing at all (no beat, no output, no message) for two intervals
 * says so, and says so again once it hears anything. Browsers never show a page the
 * WebSocket's own pings, and a stopped or swamped server keeps its sockets open.
 */
export interface SilenceWatch {
  /** Something arrived; `intervalMs` when it was a beat. */
  heard: (intervalMs?: number) => void
  stop: () => void
}

export function watchSilence(on: { silent: () => void, back: () => void }): SilenceWatch {
  let interval: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let quiet = false
  return {
    heard(intervalMs) {
      interval = intervalMs ?? interval
      clearTimeout(timer)
      if (quiet) {
        quiet = false
        on.back()
      }
      if (interval !== undefined) {
        timer = setTimeout(() => {
          quiet = true
          on.silent()
        }, 2 * interval)
      }
    },
    stop() {
      clearTimeout(timer)
      quiet = false
    },
  }
}
