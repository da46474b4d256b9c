// The Korean rules of the talk that a machine can check (issue 20), everywhere the audience or
// the presenter reads them: slides and their notes (hidden ones too), the demos' titles, step
// notes and comments, and the comments of the manifests shown on screen. The words the talk
// does not use are docs/glossary.md's last column (entries about meaning, in quotes or with a
// qualifier in parentheses, are left to the reader).
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { load } from '@slidev/parser/fs'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A particle written apart from the Latin word, number or markup it belongs to: "pay 를". */
const SPACED_PARTICLE = /[A-Za-z0-9%`*)\]!] (을|를|이|가|은|는|의|에|에서|에게|에는|에서는|에도|에만|에서만|로만|으로만|만큼|로|으로|로는|으로는|와|과|와는|과는|도|만|마다|까지|부터|처럼|보다|뿐|이나|나|이고|이며|입니다|이다|인|이라|이라서|라고)(?=[\s.,:;!?()"'…]|$)/

const avoided = readFileSync(resolve(repo, 'docs/glossary.md'), 'utf8')
  .split('\n')
  .filter(l => /^\| [^-]/.test(l) && !l.startsWith('| 용어'))
  .flatMap(l => (l.split('|')[4] ?? '').split(','))
  .map(w => w.trim())
  .filter(w => w && !/[("]/.test(w))

interface Text { where: string, text: string }
let texts: Text[] = []
/** what the presenter says: slide notes and demo step notes (합니다체) */
let spoken: Text[] = []
/** bullet and table lines on the slides, the seed's quoted lines left out (명사형) */
let listed: Text[] = []

/** A sentence that ends in a plain "-다." (해라체), outside quotes. */
const PLAIN_END = /[가-힣]*[^니]다\.(?=\s|$)/g
const withoutQuotes = (t: string) => t.replace(/"[^"]*"/g, '""')

function demoTexts(): Text[] {
  const out: Text[] = []
  for (const id of readdirSync(resolve(repo, 'demos')).filter(d => !d.startsWith('_') && !d.includes('.'))) {
    const path = resolve(repo, 'demos', id, 'demo.yaml')
    const raw = readFileSync(path, 'utf8')
    const demo = parse(raw) as { title: string, steps: { note?: string }[] }
    out.push({ where: `${id}: title`, text: demo.title })
    demo.steps.forEach((s, i) => s.note && out.push({ where: `${id}: step ${i + 1} note`, text: s.note }))
    raw.split('\n').forEach((l, i) => l.trimStart().startsWith('#') && out.push({ where: `${id}/demo.yaml:${i + 1}`, text: l }))
  }
  const manifests = resolve(repo, 'demos', '_k8s', 'manifests')
  for (const f of readdirSync(manifests)) {
    readFileSync(resolve(manifests, f), 'utf8').split('\n').forEach((l, i) => {
      const comment = l.indexOf('#')
      if (comment >= 0)
        out.push({ where: `manifests/${f}:${i + 1}`, text: l.slice(comment) })
    })
  }
  return out
}

beforeAll(async () => {
  const { slides } = await load({ roots: [repo], userRoot: repo }, resolve(repo, 'slides.md'))
  texts = [
    ...slides.map(s => ({ where: `slide ${s.index + 1} "${s.title}"`, text: `${s.content}\n${s.note ?? ''}` })),
    ...demoTexts(),
  ]
  spoken = [
    ...slides.map(s => ({ where: `slide ${s.index + 1} "${s.title}" notes`, text: s.note ?? '' })),
    ...texts.filter(t => t.where.includes(': step ')),
  ]
  listed = slides.flatMap(s => s.content.replace(/<div class="seed-says">.*<\/div>/g, '').split('\n')
    .filter(l => /^(- |\|)/.test(l.trim()))
    .map(l => ({ where: `slide ${s.index + 1} "${s.title}"`, text: l.trim() })))
})

describe('Korean rules', () => {
  it('reads slides, demo notes and manifest comments', () => {
    expect(texts.filter(t => t.where.startsWith('slide')).length).toBeGreaterThan(40)
    expect(texts.filter(t => t.where.includes('step')).length).toBeGreaterThan(50)
    expect(texts.some(t => t.where.startsWith('manifests/app.yaml'))).toBe(true)
  })

  it('the glossary bans the calques and the words the issue named', () => {
    expect(avoided).toEqual(expect.arrayContaining(['복제본', '씨앗 문서', '퇴출', '점잖은 종료', '세줄요약']))
  })

  it('no avoided word anywhere', () => {
    const found = texts.flatMap(t => avoided
      .filter(w => (w.length === 1 ? new RegExp(`(?<![가-힣])${w}(?![가-힣])`) : new RegExp(w)).test(t.text))
      .map(w => `${t.where}: "${w}"`))
    expect(found).toEqual([])
  })

  it('a particle follows a Latin word or number without a space ("pay를", not "pay 를")', () => {
    const found = texts.flatMap(t => t.text.split('\n')
      .filter(l => SPACED_PARTICLE.test(l))
      .map(l => `${t.where}: ${l.match(SPACED_PARTICLE)![0]} … ${l.trim().slice(0, 80)}`))
    expect(found).toEqual([])
  })

  it('a percent sign follows its number without a space ("25%", as Korean writes it)', () => {
    expect(texts.filter(t => /\d %/.test(t.text)).map(t => `${t.where}: ${t.text.match(/.{0,20}\d %.{0,10}/)![0]}`)).toEqual([])
  })

  it('notes and demo step notes are spoken in 합니다체: no sentence ends in a plain "-다."', () => {
    expect(spoken.length).toBeGreaterThan(90)
    const found = spoken.flatMap(t => [...withoutQuotes(t.text).matchAll(PLAIN_END)].map(m => `${t.where}: ${m[0]}`))
    expect(found).toEqual([])
  })

  it('bullets and table cells on the slides are noun phrases, not 합니다체', () => {
    expect(listed.length).toBeGreaterThan(60)
    expect(listed.filter(l => /니다\.?\s*\|?\s*$/.test(l.text)).map(l => `${l.where}: ${l.text}`)).toEqual([])
  })

  it('the checks catch what they are meant to', () => {
    expect('파드를 만든다. 다음'.match(PLAIN_END)).toEqual(['만든다.'])
    expect('파드를 만듭니다. 다음'.match(PLAIN_END)).toBeNull()
    expect(SPACED_PARTICLE.test('pay 를 띄웁니다')).toBe(true)
    expect(SPACED_PARTICLE.test('fail=0 입니다')).toBe(true)
    expect(SPACED_PARTICLE.test('pay를 띄웁니다')).toBe(false)
    expect(SPACED_PARTICLE.test('pay 이미지')).toBe(false)
    expect(SPACED_PARTICLE.test('CPU 가장')).toBe(false)
  })
})
