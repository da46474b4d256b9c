/**
 * One demo's terminal: a pty running the demo's shell, shared by every window that shows it.
 * A window that joins late first receives the scrollback. Output is forwarded as bytes, with
 * watermark flow control: the pty is paused while any window has too much unrendered output.
 */
import type { IPty } from 'node-pty'
import type { Role, ServerMessage, SessionPhase } from '../common/protocol.ts'
import type { Demo } from './demos.ts'
import type { RunningScript } from './scripts.ts'
import { randomBytes } from 'node:crypto'
import { requirePty } from './pty.ts'
import { demoCwd, demoEnv } from './demos.ts'
import { unmetNeeds } from './needs.ts'
import { killSession, sessionProcesses } from './process-tree.ts'
import { runScript } from './scripts.ts'
import { lastLines } from './terminal-text.ts'

export interface SessionClient {
  readonly role: Role
  /** Raw pty output. */
  send: (bytes: Uint8Array) => void
  message: (m: ServerMessage) => void
}

export interface SessionOptions {
  /** Bytes of recent output a late window receives first. */
  scrollbackBytes?: number
  /** Unacknowledged bytes at which the pty is paused, and below which it resumes. */
  highWater?: number
  lowWater?: number
  /** Overrides the demo's typing pace (rehearse and tests). */
  typingDelayMs?: number
  /** Whether to run the demo's setup before the shell starts. */
  runSetup?: boolean
  log?: (line: string) => void
}

interface Attached { client: SessionClient, unacked: number }

const pty = requirePty()
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

const EARLY_INPUT_MAX = 4096
const BATCH_MS = 5
const BATCH_MAX = 64 * 1024
const SMALL_READ = 1024

/**
 * node-pty queues writes and retries them on EAGAIN forever, on the raw fd number, even after
 * the shell is gone and the fd closed (then reused, e.g. by the next session's pty: keystrokes
 * typed into a dead shell could land in another). Drop what is pending once a shell is done.
 * Reaches into node-pty 1.1 internals, defensively: if they change, this does nothing.
 */
function dropPendingWrites(p: IPty): void {
  const stream = (p as unknown as { _writeStream?: { _writeQueue?: unknown[], dispose?: () => void } })._writeStream
  if (Array.isArray(stream?._writeQueue))
    stream._writeQueue.length = 0
  stream?.dispose?.()
}

/** Environment variable that marks every process of one shell (see process-tree.ts). */
const TAG_NAME = 'LIVE_TERMINAL_SESSION'

export class TerminalSession {
  private pty: IPty | undefined
  /** `TAG_NAME=random` given to the current shell: finds its daemons after they setsid away. */
  private tag: string | undefined
  /** Shells being killed right now (pid, tag): still ours until killSession has finished. */
  private readonly dying = new Map<number, string | undefined>()
  private script: RunningScript | undefined
  private readonly clients = new Map<SessionClient, Attached>()
  private scrollback: Buffer[] = []
  private scrollbackSize = 0
  private paused = false
  /** Bumped whenever the shell is replaced, so a step being typed into the old one stops. */
  private generation = 0
  private ending: Promise<void> | undefined
  phase: SessionPhase = 'preparing'
  /** Reads gathered into one frame while output streams (see output()). */
  private batch: Buffer[] = []
  private batchSize = 0
  private batchTimer: NodeJS.Timeout | undefined
  private lastEmit = 0
  private lastReadSmall = true
  /** Keystrokes that arrived while the shell was being prepared. */
  private earlyInput = ''
  /** Needs of the demo this machine does not meet (then the session never starts a shell). */
  unmet: string[] = []
  detail: string | undefined
  exitCode: number | undefined
  nextStep = 0
  typing = false
  /** Called once, when the session has ended and released everything. */
  onEnd: (() => void) | undefined

  private readonly opts: Required<Omit<SessionOptions, 'typingDelayMs' | 'log'>> & Pick<SessionOptions, 'typingDelayMs' | 'log'>

  constructor(readonly demo: Demo, options: SessionOptions = {}) {
    // Watermarks: what a window may have unrendered bounds how long Ctrl-C takes to show under a
    // flood (a CPU-rendered page draws ~1-2 MB/s); low stays above twice the client's ack batch.
    this.opts = { scrollbackBytes: 512 * 1024, highWater: 64 * 1024, lowWater: 16 * 1024, runSetup: true, ...options }
  }

  get pid(): number | undefined {
    return this.pty?.pid
  }

  /** Every live process of the current shell and of any being killed, for a synchronous last-resort kill. */
  processes(): number[] {
    const shells = new Map(this.dying)
    if (this.pty)
      shells.set(this.pty.pid, this.tag)
    return [...shells].flatMap(([pid, tag]) => sessionProcesses(pid, false, tag))
  }

  get clientCount(): number {
    return this.clients.size
  }

  get ended(): boolean {
    return this.ending !== undefined
  }

  /** Runs setup (if any), then starts the shell. Resolves when the shell runs or setup failed. */
  async start(): Promise<void> {
    const gen = this.generation
    this.setPhase('preparing')
    // A demo this machine can't run says so (and the deck shows its recording) instead of
    // failing half-way through setup in front of the audience.
    const unmet = await unmetNeeds(this.demo)
    if (gen !== this.generation || this.ended)
      return
    this.unmet = unmet.map(u => u.need)
    if (unmet.length > 0) {
      this.setPhase('failed', unmet.map(u => `${u.need}: ${u.detail}${u.fix ? `\n  → ${u.fix}` : ''}`).join('\n'))
      return
    }
    if (this.opts.runSetup) {
      const setup = runScript(this.demo, 'setup')
      if (setup) {
        this.script = setup
        const r = await setup.done
        if (this.script === setup)
          this.script = undefined
        if (gen !== this.generation || this.ended)
          return
        if (!r.ok) {
          this.log(`setup failed (exit ${r.code}):\n${lastLines(r.output)}`)
          this.setPhase('failed', `setup.sh failed (exit ${r.code}):\n${lastLines(r.output)}`)
          return
        }
      }
    }
    this.spawn()
  }

  private spawn(): void {
    const gen = this.generation
    const [file, ...args] = this.demo.shell
    const id = randomBytes(12).toString('hex')
    const tag = `${TAG_NAME}=${id}`
    const p = pty.spawn(file!, args, {
      name: 'xterm-256color',
      cols: this.demo.size.cols,
      rows: this.demo.size.rows,
      cwd: demoCwd(this.demo),
      env: { ...demoEnv(this.demo), [TAG_NAME]: id },
      encoding: null, // bytes, not strings: decoding happens once, in the terminal
    })
    this.pty = p
    this.tag = tag
    this.paused = false
    p.onData((data: string | Buffer) => {
      if (gen === this.generation)
        this.output(typeof data === 'string' ? Buffer.from(data) : data)
    })
    p.onExit(({ exitCode }) => {
      dropPendingWrites(p)
      if (gen !== this.generation || this.ended)
        return
      this.exitCode = exitCode
      this.flushBatch() // the shell's last words, before it is reported gone
      this.setPhase('exited')
      // Background jobs of a shell that exited on its own would otherwise outlive it.
      this.dying.set(p.pid, tag)
      void killSession(p.pid, undefined, tag).finally(() => this.dying.delete(p.pid))
    })
    this.setPhase('running')
    if (this.earlyInput) {
      p.write(this.earlyInput)
      this.earlyInput = ''
    }
  }

  /**
   * Interactive output goes out at once: a read after a small one (keystroke echo, prompts) or
   * after a quiet moment. Big reads in quick succession (a flood) are gathered for up to
   * BATCH_MS into one frame, a frame per 64 KiB rather than per 2-4 KiB pty read (measured in
   * docs/BENCHMARKS.md).
   */
  private output(bytes: Buffer): void {
    const afterSmall = this.lastReadSmall
    this.lastReadSmall = bytes.length < SMALL_READ
    if (!this.batchTimer && (afterSmall || performance.now() - this.lastEmit >= BATCH_MS)) {
      this.emit(bytes)
      return
    }
    this.batch.push(bytes)
    this.batchSize += bytes.length
    if (this.batchSize >= BATCH_MAX)
      this.flushBatch()
    else
      this.batchTimer ??= setTimeout(() => this.flushBatch(), BATCH_MS)
  }

  private flushBatch(): void {
    const bytes = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch)
    this.dropBatch()
    if (bytes.length > 0)
      this.emit(bytes)
  }

  private dropBatch(): void {
    clearTimeout(this.batchTimer)
    this.batchTimer = undefined
    this.batch = []
    this.batchSize = 0
  }

  private emit(bytes: Buffer): void {
    this.lastEmit = performance.now()
    this.scrollback.push(bytes)
    this.scrollbackSize += bytes.length
    if (this.scrollbackSize > this.opts.scrollbackBytes)
      this.trimScrollback()
    for (const a of this.clients.values()) {
      a.unacked += bytes.length
      a.client.send(bytes)
    }
    if (!this.paused && [...this.clients.values()].some(a => a.unacked > this.opts.highWater)) {
      this.paused = true
      this.pty?.pause()
    }
  }

  /** Keeps the last scrollbackBytes, starting at a line boundary (or at least a character's). */
  private trimScrollback(): void {
    let excess = this.scrollbackSize - this.opts.scrollbackBytes
    while (excess > 0 && this.scrollback.length > 1 && this.scrollback[0]!.length <= excess) {
      const dropped = this.scrollback.shift()!
      excess -= dropped.length
      this.scrollbackSize -= dropped.length
    }
    const first = this.scrollback[0]!
    let start = Math.max(0, excess)
    // Replay should not begin inside an escape sequence: start after a newline when this chunk
    // has one; in one long line, at least never inside a UTF-8 character (U+FFFD otherwise).
    const nl = first.indexOf(0x0A, start)
    if (nl >= 0) {
      start = nl + 1
    }
    else {
      while (start < first.length && (first[start]! & 0xC0) === 0x80)
        start++
    }
    this.scrollback[0] = first.subarray(start)
    this.scrollbackSize -= start
  }

  attach(client: SessionClient): void {
    const backlog = Buffer.concat(this.scrollback)
    this.clients.set(client, { client, unacked: backlog.length })
    client.message({
      type: 'ready',
      demo: this.demo.id,
      title: this.demo.title,
      cols: this.demo.size.cols,
      rows: this.demo.size.rows,
      steps: this.demo.steps.map(s => ({ type: s.type, note: s.note })),
    })
    if (backlog.length > 0)
      client.send(backlog)
    client.message(this.state())
  }

  /** Removes a window; the last one to leave ends the session. */
  detach(client: SessionClient): void {
    if (!this.clients.delete(client))
      return
    if (this.clients.size === 0)
      void this.end()
    else
      this.maybeResume()
  }

  ack(client: SessionClient, bytes: number): void {
    const a = this.clients.get(client)
    if (!a)
      return
    a.unacked = Math.max(0, a.unacked - bytes)
    this.maybeResume()
  }

  private maybeResume(): void {
    if (this.paused && [...this.clients.values()].every(a => a.unacked < this.opts.lowWater)) {
      this.paused = false
      this.pty?.resume()
    }
  }

  /** Keystrokes from a window. Watch-only windows never reach the shell. */
  input(client: SessionClient, data: string): void {
    if (client.role !== 'control')
      return
    if (this.phase === 'preparing') {
      // Typed before the shell is up (needs check, setup): kept, bounded, for the new shell.
      if (this.earlyInput.length + data.length <= EARLY_INPUT_MAX)
        this.earlyInput += data
      return
    }
    if (this.phase === 'running')
      this.pty?.write(data)
  }

  /** Types the next scripted step at the demo's pace, then Enter. */
  async typeNextStep(): Promise<void> {
    const step = this.demo.steps[this.nextStep]
    if (!step || this.typing || this.phase !== 'running' || !this.pty)
      return
    const gen = this.generation
    const p = this.pty
    const delay = this.opts.typingDelayMs ?? this.demo.typing.delayMs
    // Stop as soon as this shell is no longer the running one: node-pty queues writes and
    // performs them on the file descriptor later, even once the shell is gone and it is closed.
    const live = () => gen === this.generation && !this.ended && this.phase === 'running' && this.pty === p
    const stopped = () => {
      if (gen === this.generation && this.typing) {
        this.typing = false
        this.broadcast(this.state())
      }
    }
    this.typing = true
    this.broadcast(this.state())
    for (const ch of step.type) {
      if (!live())
        return stopped()
      p.write(ch)
      if (delay > 0)
        await sleep(delay)
    }
    if (!live())
      return stopped()
    p.write('\r')
    this.typing = false
    this.nextStep++
    this.broadcast(this.state())
  }

  /** Ends the shell, runs the demo's reset script, and starts afresh for every window. */
  async reset(): Promise<void> {
    if (this.ended)
      return
    // A newer reset (or end) bumps the generation while we wait: then it, not we, starts the
    // shell. Without this, two quick resets each spawned one and the first shell leaked.
    const gen = ++this.generation
    this.typing = false
    this.nextStep = 0
    this.earlyInput = ''
    this.exitCode = undefined
    this.broadcast({ type: 'reset' })
    this.setPhase('preparing', 'reset')
    await this.stopChildren()
    if (gen !== this.generation || this.ended)
      return
    this.scrollback = []
    this.scrollbackSize = 0
    for (const a of this.clients.values())
      a.unacked = 0
    const reset = runScript(this.demo, 'reset')
    if (reset) {
      this.script = reset
      const r = await reset.done
      if (this.script === reset)
        this.script = undefined
      if (!r.ok)
        this.log(`reset failed (exit ${r.code}):\n${lastLines(r.output)}`)
    }
    if (gen !== this.generation || this.ended)
      return
    await this.start()
  }

  /** Kills everything the session started; safe to call any number of times. */
  end(): Promise<void> {
    this.ending ??= (async () => {
      this.generation++
      await this.stopChildren()
      this.clients.clear()
      this.onEnd?.()
    })()
    return this.ending
  }

  private async stopChildren(): Promise<void> {
    const p = this.pty
    const tag = this.tag
    const script = this.script
    this.pty = undefined
    this.tag = undefined
    this.script = undefined
    this.dropBatch() // output of a shell being replaced or ended
    await Promise.all([
      script?.cancel(),
      p && (async () => {
        dropPendingWrites(p)
        // A paused pty would never read the shell's last output nor notice its exit.
        p.resume()
        this.dying.set(p.pid, tag)
        try {
          await killSession(p.pid, undefined, tag)
        }
        finally {
          this.dying.delete(p.pid)
        }
      })(),
    ])
  }

  state(): ServerMessage {
    return { type: 'state', phase: this.phase, nextStep: this.nextStep, typing: this.typing, detail: this.detail, exitCode: this.exitCode, unmet: this.unmet }
  }

  private setPhase(phase: SessionPhase, detail?: string): void {
    this.phase = phase
    this.detail = detail
    this.broadcast(this.state())
  }

  private broadcast(m: ServerMessage): void {
    for (const a of this.clients.values())
      a.client.message(m)
  }

  private log(line: string): void {
    this.opts.log?.(`[${this.demo.id}] ${line}`)
  }
}
