/** Escapes from a session contained by the cgroup v1 freezer (freeze, SIGKILL, thaw). */
import { describeEscapes } from './escapes.ts'

// Read once, when the first session starts: this file's worker never tries cgroup v2.
process.env.LT_CGROUP = 'v1'
describeEscapes('cgroup v1 freezer', 'v1-freezer')
