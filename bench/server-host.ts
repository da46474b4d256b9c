/**
 * A bridge in its own process, as in the deck (where it lives in slidev's process, apart from
 * the browser): `server-host.ts full '{"session":{"highWater":…}}'` or `server-host.ts raw`.
 * Prints one line `READY {"port":…,"token":…}` and serves until SIGTERM. With `counters: true`
 * it counts pty reads, pauses and resumes and prints them as `COUNTERS {…}` on SIGUSR2;
 * `coalesce` tries the proposed output batching (bench/pty-experiments.ts).
 */
import type { PtyExperiment } from './pty-experiments.ts'
import type { SessionOptions } from '../server/session.ts'
import { startStandalone } from '../server/standalone.ts'
import { instrumentPty } from './pty-experiments.ts'
import { startRawBridge } from './raw-bridge.ts'

export interface HostOptions extends PtyExperiment {
  session?: SessionOptions
  counters?: boolean
}

const [kind, json] = process.argv.slice(2)
const options = JSON.parse(json ?? '{}') as HostOptions

async function main(): Promise<void> {
  if (options.counters || options.coalesce) {
    const c = instrumentPty(options)
    process.on('SIGUSR2', () => console.log(`COUNTERS ${JSON.stringify(c)}`))
  }
  let close: () => Promise<void>
  if (kind === 'raw') {
    const raw = await startRawBridge()
    close = raw.close
    console.log(`READY ${JSON.stringify({ port: raw.port, token: '' })}`)
  }
  else if (kind === 'full') {
    const s = await startStandalone({ session: options.session, log: () => {} })
    close = s.close
    console.log(`READY ${JSON.stringify({ port: s.port, token: s.bridge.token })}`)
  }
  else {
    throw new Error(`usage: server-host.ts full|raw [json options]`)
  }
  let stopping = false
  const stop = () => {
    if (stopping)
      return
    stopping = true
    void close().finally(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdin.on('end', stop) // the bench went away
  process.stdin.resume()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
