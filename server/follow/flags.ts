/**
 * The one rule for the start flags of follow mode, stated here and imported by every place that
 * reads them: `npm start` (the preload cli-flags.ts, before Slidev's strict parser), `npm run
 * doctor` (server/cli/doctor.ts) and the deck's follow settings (options.ts).
 *
 * - `--follow`: follow mode on; off without it.
 * - `--bind <address>` (or `--bind=<address>`): with `--follow` and without `--remote`, the
 *   address of the follow listener (default: every interface); the deck itself stays on
 *   loopback. Under `--remote` it stays Slidev's own (the deck binds it, the terminals are off).
 * - `--port <n>` (or `--port=<n>`): the deck's port, Slidev's flag (default DECK_PORT); the
 *   follow listener takes the next one (followPort).
 */

/** The deck's port when `--port` is not given (package.json's start script and Slidev's default). */
export const DECK_PORT = 3030

/** The follow listener's port for a deck on `deckPort` (LT_FOLLOW_PORT overrides it). */
export function followPort(deckPort: number): number {
  return deckPort + 1
}

export interface StartFlags {
  follow: boolean
  /** The follow listener's address, when `--bind` is follow mode's (see above). */
  bind: string | undefined
  /** The deck's port. */
  port: number
  /** The arguments Slidev gets: without `--follow`, and without `--bind` where it is follow mode's. */
  slidev: string[]
}

/** Where `--name <v>` or `--name=<v>` stands: its index, how many arguments it takes, its value. */
function flag(argv: string[], name: string): { at: number, count: number, value: string | undefined } | undefined {
  const at = argv.findIndex(a => a === name || a.startsWith(`${name}=`))
  if (at < 0)
    return undefined
  const spaced = argv[at] === name
  return { at, count: spaced ? 2 : 1, value: spaced ? argv[at + 1] : argv[at]!.slice(name.length + 1) }
}

export function startFlags(argv: string[]): StartFlags {
  const port = Number(flag(argv, '--port')?.value)
  const flags: StartFlags = { follow: argv.includes('--follow'), bind: undefined, port: Number.isInteger(port) && port > 0 ? port : DECK_PORT, slidev: argv }
  if (!flags.follow)
    return flags
  let rest = argv.filter(a => a !== '--follow')
  const bind = flag(rest, '--bind')
  if (bind && !rest.includes('--remote')) {
    flags.bind = bind.value
    rest = rest.filter((_, i) => i < bind.at || i >= bind.at + bind.count)
  }
  flags.slidev = rest
  return flags
}
