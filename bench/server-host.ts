/**
 * A bridge in its own process, as in the deck (where it lives in slidev's process, apart from
 * the browser): `server-host.ts full '{"session":{"highWater":…}}'` or `server-host.ts raw`.
 * Prints one line `READY {"port":…,"token":…}` and serves until SIGTERM.
 */
import type { SessionOptions } from '../server/session.ts'
import { startStandalone } from '../server/standalone.ts'
import { startRawBridge } from './raw-bridge.ts'

export interface HostOptions { session?: SessionOptions }

const [kind, json] = process.argv.slice(2)
const options = JSON.parse(json ?? '{}') as HostOptions

async function main(): Promise<void> {
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
