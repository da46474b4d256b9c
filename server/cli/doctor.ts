/** npm run doctor: prints each check; exits non-zero when a demo's need is unmet. */
import type { DoctorLine } from '../check-result.ts'
import { doctor } from '../doctor.ts'
import { followReach } from '../follow/reach.ts'

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
// --follow [--bind <address>]: can the audience's phones reach the follow page?
const args = process.argv.slice(2)
let followUnmet = 0
if (args.includes('--follow')) {
  const at = args.indexOf('--bind')
  const follow = await followReach(at >= 0 ? args[at + 1] : undefined)
  console.log('\nFollow mode')
  follow.forEach(print)
  followUnmet = follow.filter(l => !l.ok).length
}
const unmet = demos.filter(d => !d.ok)
console.log(unmet.length === 0 ? '\nAll demos can run live.' : `\n${unmet.length} demo(s) cannot run live here; their slides show the recording.`)
process.exit(unmet.length === 0 && followUnmet === 0 ? 0 : 1)
