// The talk fits its slot (issue 20): the plan computed from the deck's notes and the demos'
// recordings is at most 40 minutes, the short cut at most 30, and every time mark in the notes
// (slide, section, the presenter's written plan) is within 30 s of it. The cut is the deck's
// own: Slidev, given setup/preparser.ts, leaves out exactly the slides the plan leaves out.
import { resolve } from 'node:path'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { injectPreparserExtensionLoader, load } from '@slidev/parser/fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cutChoice, isLeftOut } from '../../common/cut.ts'
import { disagreements, type Plan, planDeck } from '../../server/plan/plan.ts'
import { speakingSeconds, spokenText, syllables, timeMarks } from '../../server/plan/speech.ts'
import preparser from '../../setup/preparser.ts'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
let full: Plan
let short: Plan

beforeAll(async () => {
  full = await planDeck(repo, { cut: 'full', backups: 'hide' })
  short = await planDeck(repo, { cut: 'short', backups: 'hide' })
})

describe('the plan', () => {
  it('the full talk fits 40 minutes', () => {
    expect(full.total / 60).toBeLessThanOrEqual(40)
    expect(full.sections.length).toBeGreaterThanOrEqual(6)
  })

  it('the short cut fits 30 minutes', () => {
    expect(short.total / 60).toBeLessThanOrEqual(30)
    expect(short.total).toBeLessThan(full.total)
  })

  it('every time mark of the notes agrees with the computed time within 30 s', () => {
    const marks = full.sections.flatMap(s => s.slides.flatMap(x => x.marks))
    expect(marks.length).toBeGreaterThanOrEqual(10)
    expect(full.written.length).toBe(full.sections.length)
    expect(disagreements(full)).toEqual([])
  })

  it('counts each demo\'s command time from its recording', () => {
    const demos = full.sections.flatMap(s => s.slides).filter(s => s.demo)
    expect(demos.map(s => s.demo!.id)).toEqual(expect.arrayContaining(['docker-basics', 'k8s-autoscaling', 'k8s-rolling-update']))
    for (const s of demos)
      expect(s.demo!.seconds, s.demo!.id).toBeGreaterThan(0)
    expect(demos.map(s => s.demo!.id)).not.toContain('k8s-node-failure')
  })

  it('a mark of another version is refused, not silently compared', () => {
    expect(() => disagreements(short)).toThrow(/marks describe cut full/)
  })
})

describe('the cut is the deck\'s own (Slidev with setup/preparser.ts)', () => {
  async function deckTitles(headmatter: Record<string, unknown>): Promise<string[]> {
    injectPreparserExtensionLoader(async (_roots, hm) => preparser({ filepath: '', headmatter: { ...hm, ...headmatter }, mode: 'dev' }))
    return (await load({ roots: [repo], userRoot: repo }, resolve(repo, 'slides.md'))).slides.map(s => s.title ?? '')
  }
  afterAll(() => injectPreparserExtensionLoader(async () => []))

  it('Slidev leaves out the slides the plan leaves out, in each version', async () => {
    for (const plan of [full, short]) {
      const titles = await deckTitles({ cut: plan.choice.cut, backups: plan.choice.backups })
      expect(titles).toEqual(plan.sections.flatMap(s => s.slides.map(x => x.title)))
    }
  })

  it('the backup demo is hidden unless the headmatter shows backups', async () => {
    expect(await deckTitles({})).not.toContain('서버 하나가 빠지면')
    expect(await deckTitles({ backups: 'show' })).toContain('서버 하나가 빠지면')
  })

  it('a headmatter value it does not know is an error naming the field', () => {
    expect(() => cutChoice({ cut: 'tiny' })).toThrow(/headmatter cut: expected full or short, got "tiny"/)
    expect(() => cutChoice({ backups: true })).toThrow(/headmatter backups/)
    expect(cutChoice({})).toEqual({ cut: 'full', backups: 'hide' })
    expect(isLeftOut({ short: false }, { cut: 'short', backups: 'hide' })).toBe(true)
    expect(isLeftOut({ short: false }, { cut: 'full', backups: 'hide' })).toBe(false)
    expect(isLeftOut({ backup: true }, { cut: 'full', backups: 'show' })).toBe(false)
  })
})

describe('speaking time', () => {
  it('counts Hangul syllables and Latin words at 320 syllables a minute', () => {
    expect(syllables('파드 세 개')).toBe(4)
    expect(syllables('kubectl apply 한 번')).toBe(2 * 2 + 2)
    expect(speakingSeconds('가'.repeat(320))).toBeCloseTo(60)
  })

  it('leaves out stage directions and time marks', () => {
    const note = '말하는 문장입니다.\n\n[발표자] 읽지 않는 지시입니다.\n\n[발표자: 시간 계획]\n- 0:00 표지: 1분\n\n(시간: 약 1분 30초)'
    expect(spokenText(note).trim()).toBe('말하는 문장입니다.')
    expect(timeMarks(note)).toEqual([{ section: false, seconds: 90 }])
    expect(timeMarks('(시간: 절 전체 약 17분 45초)')).toEqual([{ section: true, seconds: 17 * 60 + 45 }])
    expect(() => timeMarks('(시간: 약 곧)')).toThrow(/without minutes or seconds/)
  })
})
