// Every slide has notes; the demo slides are the planned ones, each in its section, each a
// `layout: demo` slide named by its demo.
import { describe, expect, it } from 'vitest'
import { loadDeck, sectionStarts as startsIn } from '../helpers/deck-outline.ts'
import { loadSeed } from '../helpers/seed.ts'

const { seed } = loadSeed()
const { slides: deck } = await loadDeck()
const sectionStarts = () => startsIn(seed, deck)

describe('presenter notes', () => {
  it('every slide has Korean presenter notes', () => {
    const missing = deck
      .map((s, i) => ({ no: i + 1, h1: s.h1, note: s.note }))
      .filter(s => !/[가-힣]/.test(s.note))
    expect(missing.map(s => `${s.no}: ${s.h1}`)).toEqual([])
  })
})

describe('demo slides', () => {
  // demo id → the seed section it belongs to (by section id), as the talk is planned
  const expected: Record<string, string> = {
    'shell': 'start',
    'same-kernel': '2-1',
    'docker-basics': '2-1',
    'container-from-scratch': '2-1',
    'k8s-deploy': '2-2',
    'k8s-self-healing': '2-2',
    'k8s-scaling': '2-2',
    'k8s-autoscaling': '2-2',
    'k8s-rolling-update': '2-2',
    'k8s-node-failure': '2-2',
  }
  const demos = deck
    .map((slide, index) => ({ slide, index, ids: [...slide.content.matchAll(/<LiveTerminal\b[^>]*\bdemo="([^"]+)"/g)].map(m => m[1] ?? '') }))
    .filter(d => d.ids.length > 0)

  it('has exactly the planned demos, one slide each', () => {
    const ids = demos.flatMap(d => d.ids)
    expect([...ids].sort()).toEqual(Object.keys(expected).sort())
  })

  it('each demo slide has routeAlias = demo id, the demo layout, a heading and notes', () => {
    for (const { slide, ids } of demos) {
      expect(ids).toHaveLength(1)
      expect(slide.frontmatter.routeAlias).toBe(ids[0])
      expect(slide.frontmatter.layout).toBe('demo')
      expect(slide.h1).toBeTruthy()
      expect(slide.note.length).toBeGreaterThan(40)
    }
  })

  it('each demo sits in its section', () => {
    const starts = sectionStarts()
    const sectionOf = (index: number) => {
      let at = 'start'
      seed.sections.forEach((s, n) => {
        if (starts[n]! <= index)
          at = s.id
      })
      return at
    }
    for (const { index, ids } of demos) {
      const id = ids[0]!
      const want = expected[id]
      if (want === 'start')
        expect(index, id).toBeLessThan(starts[seed.sections.findIndex(s => s.id === '2')]!)
      else
        expect(sectionOf(index), id).toBe(want)
    }
  })

  it('the first demo slide explains the presenter keys n, R and l', () => {
    const first = demos[0]?.slide.note ?? ''
    expect(first).toMatch(/\bn\b/)
    expect(first).toMatch(/\bR\b/)
    expect(first).toMatch(/\bl\b/)
  })
})
