// The deck works without a network: no web fonts, no remote images, frames or stylesheets.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadDeck, REPO } from '../helpers/deck-outline.ts'

const { slides: deck, headmatter } = await loadDeck()

describe('offline deck', () => {
  it('disables web fonts and bundles local ones', () => {
    const fonts = headmatter.fonts as Record<string, unknown> | undefined
    expect(fonts?.provider).toBe('none')
    const styles = readFileSync(resolve(REPO, 'styles', 'index.ts'), 'utf8')
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
