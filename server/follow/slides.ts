/**
 * The slides as followers get them: each slide's title and text, rebuilt from the Markdown as
 * escaped text (headings, lists, code blocks, paragraphs; of HTML only its text, of components,
 * scripts and styles nothing), and
 * the demo it runs. Never the presenter's notes. Numbered as the deck numbers them (the version
 * the headmatter chooses, common/cut.ts).
 */
import type { FollowSlide } from '../../common/follow-protocol.ts'
import { resolve } from 'node:path'
import { load } from '@slidev/parser/fs'
import { cutChoice, isLeftOut } from '../../common/cut.ts'
import { slideDemo } from '../../common/slide-demo.ts'

export async function loadFollowSlides(root: string): Promise<FollowSlide[]> {
  const { slides, headmatter } = await load({ roots: [root], userRoot: root }, resolve(root, 'slides.md'))
  const choice = cutChoice(headmatter)
  return slides
    .filter(s => !isLeftOut(s.frontmatter, choice) && s.frontmatter.hide !== true && s.frontmatter.disabled !== true)
    .map((s, i) => ({ no: i + 1, title: s.title ?? '', html: textHtml(s.content), demo: slideDemo(s.frontmatter) }))
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c]!)
}

/** Inline Markdown reduced to text: `code` kept as code, emphasis and links as their text. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
}

/** Markdown → HTML of escaped text only: nothing of the slide's own markup reaches the page. */
export function textHtml(markdown: string): string {
  const out: string[] = []
  let list = false
  let code: string[] | undefined
  let skipping = false
  const endList = () => {
    if (list)
      out.push('</ul>')
    list = false
  }
  for (const raw of markdown.replace(/<!--[\s\S]*?-->/g, '').split('\n')) {
    const line = raw.trimEnd()
    if (code) {
      if (/^\s*```/.test(line)) {
        out.push(`<pre>${escapeHtml(code.join('\n'))}</pre>`)
        code = undefined
      }
      else {
        code.push(line)
      }
      continue
    }
    if (/^\s*```/.test(line)) {
      endList()
      code = []
      continue
    }
    const trimmed = line.trim()
    if (skipping) {
      if (/<\/(?:script|style)>/i.test(trimmed))
        skipping = false
      continue
    }
    if (/^<(?:script|style)\b/i.test(trimmed)) {
      skipping = !/<\/(?:script|style)>/i.test(trimmed)
      continue
    }
    if (trimmed.startsWith('<')) {
      // The deck's HTML (cards, lists): its text only, as a paragraph; a component alone gives none.
      endList()
      const text = trimmed.replace(/<[^>]*>?/g, ' ').replace(/\s+/g, ' ').trim()
      if (text)
        out.push(`<p>${escapeHtml(text)}</p>`)
      continue
    }
    if (trimmed === '' || trimmed.startsWith('{') || trimmed.startsWith(':::')) {
      endList()
      continue
    }
    const heading = trimmed.match(/^(#{1,6})\s+(.*)$/)
    const item = trimmed.match(/^(?:[-*+]|\d+\.)\s+(.*)$/)
    if (heading) {
      endList()
      const level = Math.min(6, heading[1]!.length + 1)
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`)
    }
    else if (item) {
      if (!list)
        out.push('<ul>')
      list = true
      out.push(`<li>${inline(item[1]!)}</li>`)
    }
    else if (!trimmed.startsWith('|') || !/^\|[\s|:-]+\|$/.test(trimmed)) {
      endList()
      out.push(`<p>${inline(trimmed)}</p>`)
    }
  }
  endList()
  if (code)
    out.push(`<pre>${escapeHtml(code.join('\n'))}</pre>`)
  return out.join('\n')
}
