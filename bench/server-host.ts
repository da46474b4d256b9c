/**
 * A bridge in its own process, as in the deck (where it lives in slidev's process, apart from
 * the browser): `server-host.ts full` (the project's bridge) or `server-host.ts raw` (the baseline),
 * or `server-host.ts follow` (the full bridge with follow mode on loopback, the `shell` demo's
 * slide current; READY adds `follow: { port, code }`).
 * Prints one line `READY {"port":…,"token":…}` and serves until SIGTERM.
 */
import { startStandalone } from '../server/bridge/standalone.ts'
import { startFollow } from '../server/follow/index.ts'
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
  else if (kind === 'follow') {
    const s = await startStandalone({ log: () => {} })
    const code = 'bench0follow0000'
    const f = await startFollow({ bridge: s.bridge, root: new URL('..', import.meta.url).pathname, settings: { host: '127.0.0.1', port: 0, maxFollowers: 500, code }, log: () => {} })
    f.hub.setSlide(3, 0) // slides.md: slide 3 runs the shell demo
    close = async () => {
      await f.close()
      await s.close()
    }
    console.log(`READY ${JSON.stringify({ port: s.port, token: s.bridge.token, follow: { port: f.port, code } })}`)
  }
  else {
    throw new Error(`usage: server-host.ts full|raw|follow`)
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
