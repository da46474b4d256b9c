/** npm run doctor [-- --follow [--bind <address>] [--port <n>]]: prints each check; exits non-zero when a demo's need (or follow's reach) is unmet. */
import type { DoctorLine } from '../machine/check-result.ts'
import { doctor } from '../doctor/doctor.ts'
import { followPort, startFlags } from '../follow/flags.ts'
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
// --follow [--bind <address>] [--port <deck's>]: can the audience's phones reach the follow page?
const flags = startFlags(process.argv.slice(2))
let followUnmet = 0
if (flags.follow) {
  const follow = await followReach(flags.bind, followPort(flags.port))
  console.log('\nFollow mode')
  follow.forEach(print)
  followUnmet = follow.filter(l => !l.ok).length
}
const unmet = demos.filter(d => !d.ok)
console.log(unmet.length === 0 ? '\nAll demos can run live.' : `\n${unmet.length} demo(s) cannot run live here; their slides show the recording.`)
process.exit(unmet.length === 0 && followUnmet === 0 ? 0 : 1)
