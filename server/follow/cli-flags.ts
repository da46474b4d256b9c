/**
 * Preloaded by `npm start` (node --import) before Slidev's CLI, whose argument parser is strict:
 * `slidev --follow` would stop with "Unknown argument: follow". Takes follow mode's flags out of
 * process.argv by the rule of flags.ts and hands them on as LT_FOLLOW / LT_FOLLOW_BIND
 * (options.ts). Without `--follow` it changes nothing.
 */
import { startFlags } from './flags.ts'

const flags = startFlags(process.argv.slice(2))
if (flags.follow) {
  process.env.LT_FOLLOW = '1'
  if (flags.bind !== undefined)
    process.env.LT_FOLLOW_BIND = flags.bind
  process.argv = [...process.argv.slice(0, 2), ...flags.slidev]
}
