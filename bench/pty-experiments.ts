/**
 * node-pty, wrapped in the process that runs the bridge (bench/server-host.ts, or slidev via a
 * tuned deck's vite.config.ts): counts the pty's reads, pauses and resumes, and optionally
 * tries a proposed change to server/session.ts without editing it: `coalesce` joins pty reads
 * into bigger chunks before the bridge sees them, so one WebSocket frame (and one ack) covers
 * many of the ~2-4 KiB reads a pty delivers under a flood.
 */
import type { IPty } from 'node-pty'
import { performance } from 'node:perf_hooks'
import pty from 'node-pty'

export interface PtyExperiment {
  /** Join pty reads up to this many bytes (see `coalescing`). */
  coalesce?: number
  coalesceMs?: number
}

export interface HostCounters { reads: number, bytes: number, pauses: number, resumes: number, pausedMs: number }

type DataEvent = IPty['onData']
type Listener = Parameters<DataEvent>[0]

/**
 * Joins pty reads into bigger chunks (at most `max` bytes). A read goes out at once when the
 * previous chunk was small (< 1 KiB: typing, echo, a prompt: nothing waits) or a quiet
 * `windowMs` has passed; under a flood the reads are held until the window since the last
 * delivery has passed. windowMs 0: one event-loop turn.
 */
function coalescing(event: DataEvent, max: number, windowMs: number): DataEvent {
  return (listener: Listener) => {
    let parts: Buffer[] = []
    let size = 0
    let timer: NodeJS.Timeout | NodeJS.Immediate | undefined
    let last = -Infinity
    let lastSize = 0
    const flush = () => {
      if (timer !== undefined) {
        clearTimeout(timer as NodeJS.Timeout)
        clearImmediate(timer as NodeJS.Immediate)
      }
      timer = undefined
      last = performance.now()
      if (size === 0)
        return
      const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size)
      lastSize = size
      parts = []
      size = 0
      listener(chunk as unknown as string)
    }
    return event((d: string | Buffer) => {
      const b = typeof d === 'string' ? Buffer.from(d) : d
      parts.push(b)
      size += b.length
      if (size >= max)
        return flush()
      if (timer !== undefined)
        return
      if (windowMs === 0)
        timer = setImmediate(flush)
      else {
        const wait = last + windowMs - performance.now()
        if (wait <= 0 || lastSize < 1024)
          flush()
        else
          timer = setTimeout(flush, wait)
      }
    })
  }
}

export function instrumentPty(options: PtyExperiment): HostCounters {
  const c: HostCounters = { reads: 0, bytes: 0, pauses: 0, resumes: 0, pausedMs: 0 }
  const spawn = pty.spawn
  pty.spawn = (...args: Parameters<typeof spawn>): IPty => {
    const p = spawn(...args)
    let pausedAt: number | undefined
    p.onData((d: string | Buffer) => { // the pty's own reads, before any coalescing
      c.reads++
      c.bytes += d.length
    })
    if (options.coalesce)
      Object.defineProperty(p, 'onData', { configurable: true, value: coalescing(p.onData, options.coalesce, options.coalesceMs ?? 0) })
    const pause = p.pause.bind(p)
    const resume = p.resume.bind(p)
    p.pause = () => {
      c.pauses++
      pausedAt ??= performance.now()
      pause()
    }
    p.resume = () => {
      c.resumes++
      if (pausedAt !== undefined)
        c.pausedMs += performance.now() - pausedAt
      pausedAt = undefined
      resume()
    }
    return p
  }
  return c
}
