/**
 * A shell's reads gathered into frames. Interactive output goes out at once: a read after a
 * small one (keystroke echo, prompts) or after a quiet moment. Big reads in quick succession (a
 * flood) are gathered for up to BATCH_MS into one frame, a frame per 64 KiB rather than per
 * 2-4 KiB pty read (measured in docs/BENCHMARKS.md).
 */
const BATCH_MS = 5
const BATCH_MAX = 64 * 1024
const SMALL_READ = 1024

export class ReadBatcher {
  private batch: Buffer[] = []
  private size = 0
  private timer: NodeJS.Timeout | undefined
  private lastEmit = 0
  private lastReadSmall = true

  constructor(private readonly emit: (frame: Buffer) => void) {}

  write(bytes: Buffer): void {
    const afterSmall = this.lastReadSmall
    this.lastReadSmall = bytes.length < SMALL_READ
    if (!this.timer && (afterSmall || performance.now() - this.lastEmit >= BATCH_MS))
      return this.send(bytes)
    this.batch.push(bytes)
    this.size += bytes.length
    if (this.size >= BATCH_MAX)
      this.flush()
    else
      this.timer ??= setTimeout(() => this.flush(), BATCH_MS)
  }

  /** Sends what is gathered now. */
  flush(): void {
    const bytes = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch)
    this.discard()
    if (bytes.length > 0)
      this.send(bytes)
  }

  /** Drops what is gathered but not sent. */
  discard(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.batch = []
    this.size = 0
  }

  private send(bytes: Buffer): void {
    this.lastEmit = performance.now()
    this.emit(bytes)
  }
}
