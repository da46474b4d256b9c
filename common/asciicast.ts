/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/), the format of demo recordings:
 * a JSON header line, then one `[seconds, "o", text]` event per line. Written by rehearse,
 * read by the deck (print, static build, on-stage fallback) and by `asciinema play`.
 */
import { z } from 'zod'

// Other v2 header fields (duration, idle_time_limit, theme, ...) are allowed and dropped.
const headerSchema = z.object({
  version: z.literal(2),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  timestamp: z.number().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
})

/** Each demo's recording: demos/<id>/recording.cast. */
export const RECORDING_FILE = 'recording.cast'

/** The marker rehearse writes just before it types step `n` (1-based). */
export function stepMarker(n: number): string {
  return `step ${n}`
}

/** The step number a marker labels, or undefined for any other marker. */
export function markedStep(label: string): number | undefined {
  const n = Number(label.match(/^step (\d+)$/)?.[1])
  return n > 0 ? n : undefined
}

/**
 * Each step's time in a recording, in ms: from its marker to the next step's (the last step's
 * to the recording's last event). A step without a marker gets undefined.
 */
export function stepTimesMs(cast: Cast): (number | undefined)[] {
  const starts: number[] = []
  for (const [t, kind, label] of cast.events) {
    const n = kind === 'm' ? markedStep(label) : undefined
    if (n !== undefined)
      starts[n - 1] = t
  }
  const end = cast.events.at(-1)?.[0] ?? 0
  return Array.from(starts, (t, i) => {
    if (t === undefined)
      return undefined
    const next = starts.slice(i + 1).find(x => x !== undefined) ?? end
    return Math.round((next - t) * 1000)
  })
}

const eventSchema = z.tuple([z.number().nonnegative(), z.enum(['o', 'i', 'r', 'm']), z.string()])

export type CastHeader = z.infer<typeof headerSchema>
export type CastEvent = z.infer<typeof eventSchema>
export interface Cast { header: CastHeader, events: CastEvent[] }

/** One line's JSON, checked; throws naming the recording, the line and the field. */
function parseLine<T>(schema: z.ZodType<T>, line: string, where: string, what: string): T {
  let json: unknown
  try {
    json = JSON.parse(line)
  }
  catch {
    throw new Error(`${where}: not JSON (${what})`)
  }
  const r = schema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]
    const field = issue?.path.length ? ` ${issue.path.join('.')}` : ''
    throw new Error(`${where}:${field} ${issue?.message ?? 'invalid'} (${what})`)
  }
  return r.data
}

/** Parses a recording; throws an Error naming `source` (a file name), the line and the field. */
export function parseCast(text: string, source = 'recording'): Cast {
  const lines = text.split('\n').filter(l => l.trim() !== '')
  if (lines.length === 0)
    throw new Error(`${source}: empty recording`)
  const header = parseLine(headerSchema, lines[0]!, `${source} line 1`, 'an asciicast v2 header: version 2, integer width and height')
  const events = lines.slice(1).map((line, i) => parseLine(eventSchema, line, `${source} line ${i + 2}`, 'an event is [seconds, "o"|"i"|"r"|"m", data]'))
  return { header, events }
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
