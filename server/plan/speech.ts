/**
 * How long a presenter's note takes to say. Spoken Korean runs at about 300–350 syllables a
 * minute; the plan uses 320. A Latin word or number ("kubectl", "50m") counts as two syllables.
 * A paragraph that starts with `[발표자` is a stage direction, not read aloud, and neither is a
 * "(시간: …)" mark.
 */
export const SYLLABLES_PER_MINUTE = 320
export const SYLLABLES_PER_LATIN_WORD = 2

const DIRECTION = /^\[발표자/
const MARK = /\(시간: (절 전체 )?약 (?:(\d+)분)? ?(?:(\d+)초)?[^)]*\)/g

/** The note without its stage directions and time marks: what is said aloud. */
export function spokenText(note: string): string {
  return note
    .split(/\n\s*\n/)
    .filter(p => !DIRECTION.test(p.trim()))
    .join('\n\n')
    .replace(MARK, '')
}

/** Hangul syllables plus the Latin words' share. */
export function syllables(text: string): number {
  const hangul = text.match(/[가-힣]/g)?.length ?? 0
  const latin = text.match(/[A-Za-z0-9][A-Za-z0-9._'/-]*/g)?.length ?? 0
  return hangul + SYLLABLES_PER_LATIN_WORD * latin
}

/** Seconds to say the note aloud. */
export function speakingSeconds(note: string): number {
  return syllables(spokenText(note)) / SYLLABLES_PER_MINUTE * 60
}

export interface TimeMark {
  /** `true` for "(시간: 절 전체 약 …)", the section's total; otherwise this slide's time */
  section: boolean
  seconds: number
}

/** The note's "(시간: 약 N분 M초)" marks; a mark with neither minutes nor seconds is an error. */
export function timeMarks(note: string): TimeMark[] {
  return [...note.matchAll(MARK)].map((m) => {
    if (m[2] === undefined && m[3] === undefined)
      throw new Error(`time mark without minutes or seconds: ${m[0]}`)
    return { section: m[1] !== undefined, seconds: Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) }
  })
}

/** 95 → "1:35" */
export function clock(seconds: number): string {
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
