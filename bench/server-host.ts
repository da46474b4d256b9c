/**
 * A bridge in its own process, as in the deck (where it lives in slidev's process, apart from
 * the browser): `server-host.ts full` (the project's bridge) or `server-host.ts raw` (the baseline).
 * Prints one line `READY {"port":…,"token":…}` and serves until SIGTERM.
 */
import { startStandalone } from '../server/bridge/standalone.ts'
import { startRawBridge } from './raw-bridge.ts'

const kind = process.argv[2]

async function main(): Promise<void> {
  let close: () => Promise<void>
  if (kind === 'raw') {
    const raw = await startRawBridge()
    close = raw.close
    console.log(`READY ${JSON.stringify({ port: raw.port, token: '' })}`)
  }
  else if (kind === 'full') {
    const s = await startStandalone({ log: () => {} })
    close = s.close
    console.log(`READY ${JSON.stringify({ port: s.port, token: s.bridge.token })}`)
  }
  else {
    throw new Error(`usage: server-host.ts full|raw`)
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
