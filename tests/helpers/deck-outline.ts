/** The deck as Slidev itself reads it (@slidev/parser, `src:` imports resolved), slide by slide. */
import type { Seed } from './seed.ts'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { load } from '@slidev/parser/fs'

export const REPO = fileURLToPath(new URL('../../', import.meta.url))

export interface Slide {
  file: string
  frontmatter: Record<string, unknown>
  content: string
  note: string
  /** the first `# ` heading outside code blocks */
  h1: string | undefined
}

export async function loadDeck(): Promise<{ slides: Slide[], headmatter: Record<string, unknown> }> {
  const data = await load({ roots: [REPO], userRoot: REPO }, resolve(REPO, 'slides.md'))
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
export const key = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, '').toLowerCase()

/** Index of the slide opening each seed section, in seed order (-1: none). */
export function sectionStarts(seed: Seed, deck: Slide[]): number[] {
  return seed.sections.map(s => deck.findIndex(slide => slide.h1 !== undefined && key(slide.h1).includes(key(s.title))))
}
