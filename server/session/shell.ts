/**
 * A demo's shell: one pty inside the session's containment. Its AbortSignal says when this
 * shell stops being the one to write to (it exited, or is being ended), so a step being typed
 * into it stops instead of reaching whatever reuses its file descriptor.
 */
import type { IPty } from 'node-pty'
import type { Containment } from '../containment/containment.ts'
import type { Demo } from '../demos/demos.ts'
import { constants } from 'node:os'
import { demoCwd, demoEnv } from '../demos/demos.ts'
import { requirePty } from './pty.ts'

const pty = requirePty()

interface WriteQueue { _writeQueue?: { buffer: Buffer, offset: number }[], dispose?: () => void }

/**
 * node-pty 1.1 keeps keystrokes the shell has not read yet in its own queue, retried on EAGAIN
 * forever, on the raw fd number, even after the shell is gone and the fd closed (then reused).
 * Reached defensively: if the internals change, the queue reads as absent.
 */
function writeQueue(p: IPty): WriteQueue | undefined {
  return (p as unknown as { _writeStream?: WriteQueue })._writeStream
}

export interface ShellEvents {
  data: (bytes: Buffer) => void
  /** `signal`: the name of the signal that killed the shell (e.g. `SIGKILL`), if one did. */
  exit: (code: number, signal: string | undefined) => void
}

/** node-pty reports a signal by number (0: none). */
function signalName(n: number | undefined): string | undefined {
  if (!n)
    return undefined
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`
}

export class Shell {
  private readonly aborter = new AbortController()
  private readonly pty: IPty
  /** Set by end(): from then on its output is no longer anyone's (a newer shell may be running). */
  private ended = false
  private readonly holders = new Set<string>()

  constructor(demo: Demo, private readonly box: Containment, on: ShellEvents) {
    const run = box.command(demo.shell, demoCwd(demo), demoEnv(demo), true)
    this.pty = pty.spawn(run.file, run.args, {
      name: 'xterm-256color',
      cols: demo.size.cols,
      rows: demo.size.rows,
      cwd: run.cwd,
      env: run.env,
      encoding: null, // bytes, not strings: decoding happens once, in the terminal
    })
    box.adopt(this.pty.pid)
    this.pty.onData((data: string | Buffer) => {
      if (!this.ended)
        on.data(typeof data === 'string' ? Buffer.from(data) : data)
    })
    this.pty.onExit(({ exitCode, signal }) => {
      this.dropPendingInput()
      if (this.ended)
        return // ended by us: not news
      this.aborter.abort()
      on.exit(exitCode, signalName(signal))
      // Background jobs of a shell that exited on its own would otherwise outlive it.
      void this.box.end()
    })
  }

  get pid(): number {
    return this.pty.pid
  }

  /** Aborted once this shell has exited or is being ended. */
  get signal(): AbortSignal {
    return this.aborter.signal
  }

  write(data: string): void {
    if (!this.signal.aborted)
      this.pty.write(data)
  }

  /** Keystrokes written but not yet read by the shell. */
  pendingInput(): number {
    return (writeQueue(this.pty)?._writeQueue ?? []).reduce((n, t) => n + t.buffer.length - t.offset, 0)
  }

  /** The pty is not read while anyone holds it back (the windows' flow control, the screen behind). */
  hold(who: 'windows' | 'screen'): void {
    this.holders.add(who)
    this.pty.pause()
  }

  release(who: 'windows' | 'screen'): void {
    if (this.holders.delete(who) && this.holders.size === 0)
      this.pty.resume()
  }

  /** Ends the shell and everything in its containment; resolves when all of it is gone. */
  async end(): Promise<void> {
    this.ended = true
    this.aborter.abort()
    this.dropPendingInput()
    // A paused pty would never read the shell's last output nor notice its exit.
    this.pty.resume()
    await this.box.end()
  }

  private dropPendingInput(): void {
    const q = writeQueue(this.pty)
    if (Array.isArray(q?._writeQueue))
      q._writeQueue.length = 0
    q?.dispose?.()
  }
}
