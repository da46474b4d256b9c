// The deck follows the seed document: its sections, in its order, each opened by a slide
// whose first `# heading` carries the section's name.
import { describe, expect, it } from 'vitest'
import { loadDeck, key, sectionStarts as startsIn } from '../helpers/deck-outline.ts'
import { loadSeed, SEED_PATH } from '../helpers/seed.ts'

const { available: seedAvailable, seed } = loadSeed()
const { slides: deck, headmatter } = await loadDeck()
const sectionStarts = () => startsIn(seed, deck)

describe('seed', () => {
  it('is beside the repository', () => {
    expect(seedAvailable, `missing ${SEED_PATH}`).toBe(true)
  })

  it('has a table of contents the test can read', () => {
    const ids = seed.sections.map(s => s.id)
    expect(ids[0]).toBe('0')
    expect(ids).toContain('1')
    expect(ids.some(id => id.includes('-'))).toBe(true)
    expect(ids[ids.length - 1]).toBe('refs')
    expect(seed.links.length).toBeGreaterThanOrEqual(1)
  })
})

describe('deck outline', () => {
  it('parses into slides, with headmatter first', () => {
    expect(deck.length).toBeGreaterThan(seed.sections.length)
    expect(headmatter.theme).toBe('default')
    expect(deck[0]?.h1).toBeTruthy()
  })

  it.each(seed.sections.map(s => [s.title, s] as const))('opens section "%s" with a slide headed by its name', (_title, section) => {
    const i = deck.findIndex(slide => slide.h1 !== undefined && key(slide.h1).includes(key(section.title)))
    expect(i, `no slide whose first "# " heading contains "${section.title}"; headings: ${deck.map(s => s.h1).join(' | ')}`).toBeGreaterThan(0)
  })

  it('has the sections in the seed\'s order', () => {
    const starts = sectionStarts()
    const found = seed.sections.map((s, n) => `${s.title} @ ${starts[n]! + 1}`)
    for (let n = 1; n < starts.length; n++)
      expect(starts[n]!, found.join(', ')).toBeGreaterThan(starts[n - 1]!)
  })

  it('covers every topic of the table of contents inside its section, in order', () => {
    const starts = sectionStarts()
    seed.sections.forEach((section, n) => {
      const from = starts[n]!
      // a section with sub-sections (2 → 2-1, 2-2) runs until the next top-level section
      const nextTop = seed.sections.findIndex((s, m) => m > n && !s.id.startsWith(`${section.id}-`))
      const to = nextTop < 0 ? deck.length : starts[nextTop]!
      const text = deck.slice(from, to).map(s => key(`${s.content}`))
      let last = -1
      for (const topic of section.topics) {
        const at = text.findIndex(t => t.includes(key(topic)))
        expect(at, `topic "${topic}" of "${section.title}" not found in slides ${from + 1}-${to}`).toBeGreaterThanOrEqual(0)
        expect(at, `topic "${topic}" out of order`).toBeGreaterThanOrEqual(last)
        last = at
      }
    })
  })

  it('links every reference of the seed, with its exact URL', () => {
    const refsStart = sectionStarts()[seed.sections.length - 1]!
    const refs = deck.slice(refsStart).map(s => s.content).join('\n')
    for (const link of seed.links) {
      expect(refs, link.url).toContain(`href="${link.url}"`)
      expect(refs, link.text).toContain(link.text)
    }
  })
})
