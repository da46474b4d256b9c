/**
 * npm run plan [-- --cut short] [--backups show]: the talk's time per section and slide, beside
 * the notes' "(시간: …)" marks; exits non-zero when a mark of the full talk is more than 30 s off.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type CutChoice, cutChoice } from '../../common/cut.ts'
import { disagreements, isMarkedVersion, MARKED_VERSION, planDeck } from '../plan/plan.ts'
import { clock, SYLLABLES_PER_LATIN_WORD, SYLLABLES_PER_MINUTE } from '../plan/speech.ts'

const { values } = parseArgs({ options: { cut: { type: 'string' }, backups: { type: 'string' } } })
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
let override: Partial<CutChoice>
try {
  override = Object.fromEntries(Object.entries(cutChoice(values)).filter(([k]) => values[k as keyof typeof values] !== undefined))
}
catch (e) {
  console.error(`npm run plan: ${(e as Error).message.replace(/^headmatter /, '--')}`)
  process.exit(2)
}
const plan = await planDeck(repo, override)

console.log(`plan: cut ${plan.choice.cut}, backups ${plan.choice.backups}; speech at ${SYLLABLES_PER_MINUTE} syllables/min (a Latin word = ${SYLLABLES_PER_LATIN_WORD}), stage directions left out; demo = command time of its recording`)
for (const section of plan.sections) {
  const marked = section.slides.flatMap(s => s.marks.filter(m => m.section)).map(m => ` (mark ${clock(m.seconds)})`).join('')
  console.log(`\n${clock(section.start).padStart(6)}  ${section.title}: ${clock(section.seconds)}${marked}`)
  for (const s of section.slides) {
    const demo = s.demo ? ` + demo ${s.demo.id} ${clock(s.demo.seconds)}` : ''
    const marks = s.marks.filter(m => !m.section).map(m => ` (mark ${clock(m.seconds)})`).join('')
    console.log(`        ${String(s.no).padStart(3)} ${clock(s.seconds).padStart(5)}  ${s.title}  [speech ${clock(s.speech)}${demo}]${marks}`)
  }
}
console.log(`\ntotal ${clock(plan.total)}`)
if (!isMarkedVersion(plan.choice)) {
  console.log(`(the marks describe cut ${MARKED_VERSION.cut}, backups ${MARKED_VERSION.backups}: not checked here)`)
  process.exit(0)
}
const off = disagreements(plan)
for (const d of off)
  console.log(`✗ ${d.where}: mark ${clock(d.mark)}, computed ${clock(d.computed)}`)
process.exit(off.length === 0 ? 0 : 1)
