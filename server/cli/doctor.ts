/** npm run doctor: prints each check; exits non-zero when a demo's need is unmet. */
import type { DoctorLine } from '../machine/check-result.ts'
import { doctor } from '../doctor/doctor.ts'

const print = (l: DoctorLine) => {
  const mark = l.ok ? '✓' : l.optional ? '!' : '✗'
  console.log(`${mark} ${l.name.padEnd(28)} ${l.detail}`)
  if (!l.ok && l.fix)
    console.log(`  ${' '.repeat(28)} → ${l.fix}`)
}

const { machine, demos } = await doctor()
console.log('This machine')
machine.forEach(print)
console.log('\nDemos')
demos.forEach(print)
const unmet = demos.filter(d => !d.ok)
console.log(unmet.length === 0 ? '\nAll demos can run live.' : `\n${unmet.length} demo(s) cannot run live here; their slides show the recording.`)
process.exit(unmet.length === 0 ? 0 : 1)
