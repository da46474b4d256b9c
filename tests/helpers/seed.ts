/**
 * The document the talk presents (../shared/seed/kubernetes-basics.ko.md), read as its outline:
 * the table of contents (before the first `---`), the body, the reference block after the last
 * `---`. Read from the seed itself, never copied into a test.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
export const SEED_PATH = resolve(repo, '..', 'shared', 'seed', 'kubernetes-basics.ko.md')

export interface SeedSection {
  /** "0", "1", "2", "2-1", "2-2", or "refs" */
  id: string
  /** as written in the seed, e.g. "2-2. 쿠버네티스(Kubernetes)" */
  title: string
  /** the TOC bullets listed under it */
  topics: string[]
}

export interface Seed {
  sections: SeedSection[]
  links: { text: string, url: string }[]
}

export function readSeed(text: string): Seed {
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

/** The seed beside the repository, or an empty outline when it is missing (a test says so). */
export function loadSeed(): { available: boolean, seed: Seed } {
  const available = existsSync(SEED_PATH)
  return { available, seed: available ? readSeed(readFileSync(SEED_PATH, 'utf8')) : { sections: [], links: [] } }
}
