/** A session's tunables, and their defaults with the reasons for them. */
import { ACK_BATCH_BYTES } from '../../common/ack.ts'

export interface SessionOptions {
  /** Bytes of recent output a late window receives first. */
  scrollbackBytes?: number
  /** Unacknowledged bytes at which the shell is paused, and below which it resumes. */
  highWater?: number
  lowWater?: number
  /** How long a watch window may stay over highWater before it stops pacing the shell. */
  stallMs?: number
  /** Keystrokes the shell has not read yet, beyond which a window's input is refused. */
  inputMaxBytes?: number
  /** Overrides the demo's typing pace (rehearse and tests). */
  typingDelayMs?: number
  /** Whether to run the demo's setup before the shell starts. */
  runSetup?: boolean
  /** How long a session outlives the departure of its last window (a reload comes back within it). */
  graceMs?: number
  /** Whether the end of a session runs the demo's reset script (rehearse runs and checks its own). */
  resetOnEnd?: boolean
  /** How long that reset may take before it is cancelled. */
  endResetMs?: number
  log?: (line: string) => void
}

export type SessionSettings = Required<Omit<SessionOptions, 'typingDelayMs' | 'log'>> & Pick<SessionOptions, 'typingDelayMs' | 'log'>

export function sessionSettings(options: SessionOptions): SessionSettings {
  return {
    scrollbackBytes: 512 * 1024,
    // Watermarks: what a window may have unrendered bounds how long Ctrl-C takes to show under a
    // flood (a CPU-rendered page draws ~1-2 MB/s); low is twice the client's ack batch, so
    // the bytes a window holds back before it acks (under one batch) never keep it above low.
    highWater: 8 * ACK_BATCH_BYTES,
    lowWater: 2 * ACK_BATCH_BYTES,
    // Long enough for a tab busy rendering a burst to catch up; short enough that a dead one
    // does not stall the demo on stage.
    stallMs: 3000,
    // Far beyond any typing or paste; bounds what a shell that does not read can cost.
    inputMaxBytes: 1024 * 1024,
    runSetup: true,
    // A reload, or Vite reloading every window after it discovered a dependency, takes 1-5 s.
    graceMs: 15_000,
    resetOnEnd: true,
    // A Kubernetes demo's reset deletes its namespace and waits for it: usually 5-30 s.
    endResetMs: 90_000,
    ...options,
  }
}
