// The deck follows the seed document: its sections, in its order, each opened by a slide
// whose first `# heading` carries the section's name. The section list is read from the
// seed itself (../shared/seed/kubernetes-basics.ko.md), never copied into this test.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { load } from '@slidev/parser/fs'
import { describe, expect, it } from 'vitest'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const seedPath = resolve(repo, '..', 'shared', 'seed', 'kubernetes-basics.ko.md')
const entryPath = resolve(repo, 'slides.md')

// ---------------------------------------------------------------------------
// The seed: table of contents (before the first `---`), then the body, then the
// reference block after the last `---`.

interface SeedSection {
  /** "0", "1", "2", "2-1", "2-2", or "refs" */
  id: string
  /** as written in the seed, e.g. "2-2. 쿠버네티스(Kubernetes)" */
  title: string
  /** the TOC bullets listed under it */
  topics: string[]
}

interface Seed {
  sections: SeedSection[]
  links: { text: string, url: string }[]
}

function readSeed(text: string): Seed {
  const lines = text.split(/\r?\n/)
  const firstRule = lines.findIndex(l => l.trim() === '---')
  const lastRule = lines.map(l => l.trim()).lastIndexOf('---')
  if (firstRule < 0 || lastRule <= firstRule)
    throw new Error('seed: expected a table of contents and a reference block separated by ---')

  const sections: SeedSection[] = []
  for (const raw of lines.slice(0, firstRule)) {
    const top = raw.match(/^\*\*(\d+)\.\s*(.+?)\*\*\s*$/)
    const sub = raw.match(/^\s*-\s*(\d+-\d+)\.\s*(.+?)\s*$/)
    const bullet = raw.match(/^\s*-\s*(.+?)\s*$/)
    if (top?.[1] && top[2])
      sections.push({ id: top[1], title: `${top[1]}. ${top[2].trim()}`, topics: [] })
    else if (sub?.[1] && sub[2])
      sections.push({ id: sub[1], title: `${sub[1]}. ${sub[2]}`, topics: [] })
    else if (bullet?.[1] && sections.length)
      sections[sections.length - 1]!.topics.push(bullet[1])
  }

  const tail = lines.slice(lastRule + 1)
  const refsTitle = tail.map(l => l.trim()).find(l => l.length > 0 && !l.startsWith('['))
  if (!refsTitle)
    throw new Error('seed: the reference block has no title')
  sections.push({ id: 'refs', title: refsTitle, topics: [] })

  const links = [...tail.join('\n').matchAll(/\[([^\]]+)\]\((\S+)\)(?=\s|$)/g)]
    .map(m => ({ text: m[1] ?? '', url: m[2] ?? '' }))
  return { sections, links }
}

// ---------------------------------------------------------------------------
// The deck, as Slidev itself reads it (@slidev/parser, `src:` imports resolved).

interface Slide {
  file: string
  frontmatter: Record<string, unknown>
  content: string
  note: string
  /** the first `# ` heading outside code blocks */
  h1: string | undefined
}

async function loadDeck(): Promise<{ slides: Slide[], headmatter: Record<string, unknown> }> {
  const data = await load({ roots: [repo], userRoot: repo }, entryPath)
  const slides = data.slides.map(s => ({
    file: s.source.filepath,
    frontmatter: s.frontmatter,
    content: s.content,
    note: s.note ?? '',
    h1: s.content.replace(/^```[\s\S]+?^```/gm, '').match(/^# (.+)$/m)?.[1]?.trim(),
  }))
  return { slides, headmatter: data.headmatter }
}

/** whitespace-insensitive, case-insensitive comparison key */
const key = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, '').toLowerCase()

// ---------------------------------------------------------------------------

const seedAvailable = existsSync(seedPath)
const seed = seedAvailable ? readSeed(readFileSync(seedPath, 'utf8')) : { sections: [], links: [] }
const { slides: deck, headmatter } = await loadDeck()

/** index of the slide opening each seed section, in seed order */
function sectionStarts(): number[] {
  return seed.sections.map(s => deck.findIndex(slide => slide.h1 !== undefined && key(slide.h1).includes(key(s.title))))
}

describe('seed', () => {
  it('is beside the repository', () => {
    expect(seedAvailable, `missing ${seedPath}`).toBe(true)
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

describe('offline deck', () => {
  it('disables web fonts and bundles local ones', () => {
    const fonts = headmatter.fonts as Record<string, unknown> | undefined
    expect(fonts?.provider).toBe('none')
    const styles = readFileSync(resolve(repo, 'styles', 'index.ts'), 'utf8')
    expect(styles).toContain('@fontsource/noto-sans-kr')
    expect(styles).toContain('@fontsource/noto-sans-mono')
    expect(headmatter.download).toBe(false)
    expect(typeof headmatter.exportFilename).toBe('string')
    expect(String(headmatter.favicon ?? '')).not.toMatch(/^https?:/)
  })

  it('embeds no remote images, iframes or stylesheets', () => {
    for (const slide of deck) {
      const where = `${slide.file}: ${slide.h1}`
      expect(slide.content, where).not.toMatch(/!\[[^\]]*\]\(\s*(https?:)?\/\//)
      expect(slide.content, where).not.toMatch(/<(img|iframe|video|audio|source|script|link)\b[^>]*\b(src|href)="(https?:)?\/\//i)
      expect(slide.content, where).not.toMatch(/<iframe\b/i)
      expect(slide.content, where).not.toMatch(/url\(\s*['"]?(https?:)?\/\//)
      for (const field of ['image', 'background', 'backgroundImage'])
        expect(String(slide.frontmatter[field] ?? ''), where).not.toMatch(/^(https?:)?\/\//)
    }
  })
})
