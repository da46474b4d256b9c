/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/), the format of demo recordings:
 * a JSON header line, then one `[seconds, "o", text]` event per line. Written by rehearse,
 * read by the deck (print, static build, on-stage fallback) and by `asciinema play`.
 */

export interface CastHeader {
  version: 2
  width: number
  height: number
  timestamp?: number
  title?: string
  env?: Record<string, string>
}

export type CastEvent = [time: number, kind: 'o' | 'i' | 'r' | 'm', data: string]

export interface Cast { header: CastHeader, events: CastEvent[] }

/** Parses a recording; throws an Error naming the line that is wrong. */
export function parseCast(text: string): Cast {
  const lines = text.split('\n').filter(l => l.trim() !== '')
  if (lines.length === 0)
    throw new Error('empty recording')
  const header = JSON.parse(lines[0]!) as CastHeader
  if (header.version !== 2 || !Number.isInteger(header.width) || !Number.isInteger(header.height))
    throw new Error('line 1: not an asciicast v2 header (version 2, integer width and height)')
  const events = lines.slice(1).map((line, i) => {
    const e = JSON.parse(line) as unknown
    if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'number' || typeof e[1] !== 'string' || typeof e[2] !== 'string')
      throw new Error(`line ${i + 2}: an event must be [seconds, code, data]`)
    return e as CastEvent
  })
  return { header, events }
}

/** The output of a recording, concatenated: what a terminal shows after replaying all of it. */
export function castOutput(cast: Cast): string {
  return cast.events.filter(e => e[1] === 'o').map(e => e[2]).join('')
}

/**
 * Builds a recording from raw pty bytes. Bytes are decoded with a streaming decoder so a UTF-8
 * character split across two reads stays one character (no U+FFFD).
 */
export class CastWriter {
  private readonly decoder = new TextDecoder('utf-8')
  private readonly lines: string[]
  private readonly start: number

  constructor(header: Omit<CastHeader, 'version'>, now = Date.now()) {
    this.start = now
    this.lines = [JSON.stringify({ version: 2, ...header, timestamp: header.timestamp ?? Math.floor(now / 1000) })]
  }

  output(bytes: Uint8Array, now = Date.now()): void {
    const text = this.decoder.decode(bytes, { stream: true })
    if (text)
      this.lines.push(JSON.stringify([Math.round(now - this.start) / 1000, 'o', text]))
  }

  /** A marker event (asciicast v2 "m"), used to label each scripted step. */
  marker(label: string, now = Date.now()): void {
    this.lines.push(JSON.stringify([Math.round(now - this.start) / 1000, 'm', label]))
  }

  toString(): string {
    const rest = this.decoder.decode()
    if (rest)
      this.lines.push(JSON.stringify([(Date.now() - this.start) / 1000, 'o', rest]))
    return `${this.lines.join('\n')}\n`
  }
}
