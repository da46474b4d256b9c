/** Escapes from a session under this machine's containment (cgroup v2 `cgroup.kill` where it exists). */
import { describeEscapes } from './escapes.ts'

describeEscapes('preferred containment')
