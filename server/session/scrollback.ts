/**
 * The replay buffer: the last `limit` bytes of a shell's output, which a window that joins late
 * (or a watcher being resynchronised) receives first.
 */
export class Scrollback {
  private chunks: Buffer[] = []
  private bytes = 0

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.bytes += chunk.length
    if (this.bytes > this.limit)
      this.trim()
  }

  /** Everything kept, as the chunks it was written in (shared, not copied: one per window would add up). */
  parts(): Buffer[] {
    return [...this.chunks]
  }

  clear(): void {
    this.chunks = []
    this.bytes = 0
  }

  /** Keeps the last `limit` bytes, starting at a line boundary (or at least a character's). */
  private trim(): void {
    let excess = this.bytes - this.limit
    while (excess > 0 && this.chunks.length > 1 && this.chunks[0]!.length <= excess) {
      const dropped = this.chunks.shift()!
      excess -= dropped.length
      this.bytes -= dropped.length
    }
    const first = this.chunks[0]!
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
    this.chunks[0] = first.subarray(start)
    this.bytes -= start
  }
}

/** What one window still has to receive while it catches up: its replay, then the output since. */
export class Backlog {
  private parts: Buffer[]
  size: number

  constructor(parts: Buffer[] = []) {
    this.parts = parts
    this.size = parts.reduce((n, p) => n + p.length, 0)
  }

  push(chunk: Buffer): void {
    this.parts.push(chunk)
    this.size += chunk.length
  }

  /** Removes and returns the next `max` bytes at most, as the chunks (or parts of them) they are in. */
  take(max: number): Buffer[] {
    const out: Buffer[] = []
    while (max > 0 && this.parts.length > 0) {
      const head = this.parts[0]!
      const n = Math.min(head.length, max)
      out.push(n === head.length ? head : head.subarray(0, n))
      if (n === head.length)
        this.parts.shift()
      else
        this.parts[0] = head.subarray(n)
      this.size -= n
      max -= n
    }
    return out
  }
}
