/**
 * The talk's time plan, computed from the deck itself: each slide's speaking time from its notes
 * (server/plan/speech.ts) plus, on a demo slide, the demo's command time from its recording (from the
 * first step to the last output). Sections start at a `layout: section` slide and at each
 * imported file. The version (full or short, backups or not) follows common/cut.ts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { load } from '@slidev/parser/fs'
import { parseCast, RECORDING_FILE } from '../../common/asciicast.ts'
import { type CutChoice, cutChoice, isLeftOut } from '../../common/cut.ts'
import { slideDemo } from '../../common/slide-demo.ts'
import { speakingSeconds, type TimeMark, timeMarks } from './speech.ts'

export interface PlannedSlide {
  no: number
  title: string
  speech: number
  demo?: { id: string, seconds: number }
  seconds: number
  marks: TimeMark[]
}

export interface PlannedSection {
  title: string
  start: number
  seconds: number
  slides: PlannedSlide[]
}

export interface PlannedLine { start: number, title: string, seconds: number }

export interface Plan {
  choice: CutChoice
  sections: PlannedSection[]
  total: number
  /** the presenter's own plan in the notes: "- M:SS 제목: N분 M초" lines under "[발표자: 시간 계획" */
  written: PlannedLine[]
}

/** Command time of a recording: from its first step marker to its last event. */
export function recordingSeconds(path: string): number {
  const { events } = parseCast(readFileSync(path, 'utf8'), path)
  const first = events.find(e => e[1] === 'm') ?? events[0]
  const last = events.at(-1)
  if (!first || !last)
    throw new Error(`${path}: no events`)
  return last[0] - first[0]
}

const WRITTEN_LINE = /^- (\d+):(\d\d) (.+?): (?:(\d+)분)? ?(?:(\d+)초)?$/

function writtenPlan(notes: string[]): PlannedLine[] {
  const block = notes.flatMap(n => n.split(/\n\s*\n/)).find(p => p.trim().startsWith('[발표자: 시간 계획'))
  return (block ?? '').split('\n').flatMap((l) => {
    const m = l.trim().match(WRITTEN_LINE)
    return m ? [{ start: Number(m[1]) * 60 + Number(m[2]), title: m[3]!, seconds: Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0) }] : []
  })
}

/** The plan of the deck at `repo` in the version `override` asks for (default: its headmatter's). */
export async function planDeck(repo: string, override: Partial<CutChoice> = {}): Promise<Plan> {
  const { slides, headmatter } = await load({ roots: [repo], userRoot: repo }, resolve(repo, 'slides.md'))
  const choice = { ...cutChoice(headmatter), ...override }
  const sections: PlannedSection[] = []
  let file = ''
  let clockAt = 0
  for (const s of slides.filter(s => !isLeftOut(s.frontmatter, choice))) {
    const note = s.note ?? ''
    const id = slideDemo(s.frontmatter)
    let demo: PlannedSlide['demo']
    if (id) {
      const cast = resolve(repo, 'demos', id, RECORDING_FILE)
      if (!existsSync(cast))
        throw new Error(`slide ${s.index + 1} (${s.title}): demo ${id} has no recording (${cast}); run npm run rehearse -- ${id}`)
      demo = { id, seconds: recordingSeconds(cast) }
    }
    const speech = speakingSeconds(note)
    const slide: PlannedSlide = { no: sections.reduce((n, x) => n + x.slides.length, 1), title: s.title ?? '', speech, demo, seconds: speech + (demo?.seconds ?? 0), marks: timeMarks(note) }
    if (s.frontmatter.layout === 'section' || s.source.filepath !== file || sections.length === 0)
      sections.push({ title: slide.title, start: clockAt, seconds: 0, slides: [] })
    file = s.source.filepath
    const section = sections.at(-1)!
    section.slides.push(slide)
    section.seconds += slide.seconds
    clockAt += slide.seconds
  }
  return { choice, sections, total: clockAt, written: writtenPlan(slides.map(s => s.note ?? '')) }
}

export interface Disagreement { where: string, mark: number, computed: number }

/** The version the notes' marks and the written plan describe: the full talk, backups hidden. */
export const MARKED_VERSION: CutChoice = { cut: 'full', backups: 'hide' }

export function isMarkedVersion(choice: CutChoice): boolean {
  return choice.cut === MARKED_VERSION.cut && choice.backups === MARKED_VERSION.backups
}

/**
 * Every mark (slide, section, written plan line) further than `tolerance` seconds from the plan;
 * throws for a plan of another version than the marks describe.
 */
export function disagreements(plan: Plan, tolerance = 30): Disagreement[] {
  if (!isMarkedVersion(plan.choice))
    throw new Error(`the notes' time marks describe cut ${MARKED_VERSION.cut}, backups ${MARKED_VERSION.backups}; this plan is cut ${plan.choice.cut}, backups ${plan.choice.backups}`)
  const out: Disagreement[] = []
  const check = (where: string, mark: number, computed: number) => {
    if (Math.abs(mark - computed) > tolerance)
      out.push({ where, mark, computed })
  }
  for (const section of plan.sections) {
    for (const slide of section.slides) {
      for (const m of slide.marks)
        check(`slide ${slide.no} (${slide.title})${m.section ? ', section total' : ''}`, m.seconds, m.section ? section.seconds : slide.seconds)
    }
  }
  if (plan.written.length > 0 && plan.written.length !== plan.sections.length)
    out.push({ where: `written plan: ${plan.written.length} lines for ${plan.sections.length} sections`, mark: plan.written.length, computed: plan.sections.length })
  plan.written.forEach((line, i) => {
    const section = plan.sections[i]
    if (!section)
      return
    check(`written plan "${line.title}" start`, line.start, section.start)
    check(`written plan "${line.title}" length`, line.seconds, section.seconds)
  })
  return out
}
