/**
 * Preloaded by `npm start` (node --import) before Slidev's CLI, whose argument parser is strict:
 * `slidev --follow` would stop with "Unknown argument: follow". This takes `--follow` (and, with
 * it and without `--remote`, `--bind <address>`, which then binds the follow listener, not the
 * deck) out of process.argv and sets LT_FOLLOW / LT_FOLLOW_BIND (server/follow/options.ts).
 * Without `--follow` it changes nothing.
 */
export function takeFollowFlags(argv: string[], env: Record<string, string | undefined>): string[] {
  const at = argv.indexOf('--follow')
  if (at < 0)
    return argv
  const rest = argv.filter((_, i) => i !== at)
  env.LT_FOLLOW = '1'
  if (rest.includes('--remote'))
    return rest // --remote keeps Slidev's own --bind (and turns the terminals off)
  const bind = rest.findIndex(a => a === '--bind' || a.startsWith('--bind='))
  if (bind < 0)
    return rest
  const flag = rest[bind]!
  const withValue = flag === '--bind'
  env.LT_FOLLOW_BIND = withValue ? rest[bind + 1] : flag.slice('--bind='.length)
  return rest.filter((_, i) => i !== bind && !(withValue && i === bind + 1))
}

if (process.argv.includes('--follow'))
  process.argv = [...process.argv.slice(0, 2), ...takeFollowFlags(process.argv.slice(2), process.env)]
