/**
 * Mounts the terminal bridge on the deck's own Vite server: one process, one port. Only
 * BRIDGE_PATH upgrades and TOKEN_PATH requests are ours; in front of everything the server
 * answers sits the guard (`http-guard.ts`).
 */
import type { Plugin } from 'vite'
import type { BridgeOptions } from './bridge.ts'
import { Bridge } from './bridge.ts'
import { isLoopbackAddress } from './guard.ts'
import { installGuard } from './http-guard.ts'
import { mountFollow } from '../follow/deck-hook.ts'
import { closeOnShutdown } from './shutdown.ts'

/** `slidev export` serves the deck to a headless browser: it must show recordings, spawn nothing. */
function exportReason(argv = process.argv): string | undefined {
  const command = argv.slice(2).find(a => !a.startsWith('-'))
  return command?.startsWith('export') ? 'live terminals are off during slidev export' : undefined
}

/**
 * `--remote` / `--bind`: the deck is served beyond loopback. Anyone on the network can then load
 * the page, so no page gets a shell: the slides show the recordings.
 */
function remoteReason(host: string | boolean | undefined): string | undefined {
  if (host === undefined || host === 'localhost' || (typeof host === 'string' && isLoopbackAddress(host)))
    return undefined
  const where = host === true ? 'all interfaces' : host
  return `live terminals are off while the deck listens on ${where} (--remote/--bind): restart without --remote to run the demos`
}

export function liveTerminal(options: BridgeOptions = {}): Plugin {
  let bridge: Bridge | undefined
  let follow: { close: () => Promise<void> } | undefined
  return {
    name: 'live-terminal',
    apply: 'serve',
    // Before Slidev's plugins; the guard also puts itself first in the stack (installGuard).
    enforce: 'pre',
    configureServer(server) {
      const log = (line: string) => console.error(`[live-terminal] ${line}`)
      const remote = remoteReason(server.config.server.host)
      if (remote)
        log(remote)
      installGuard(server, { terminalsOff: remote, openInEditor: process.env.OPEN_IN_EDITOR === '1', root: server.config.root, log })
      const b = new Bridge({ disabledReason: exportReason() ?? remote, log, ...options })
      bridge = b
      closeOnShutdown(b)
      follow = mountFollow(server, b, log) // --follow: a read-only listener of its own (server/follow/)
      server.middlewares.use((req, res, next) => {
        if (!b.handleRequest(req, res))
          next()
      })
      server.httpServer?.on('upgrade', (req, socket, head) => {
        b.handleUpgrade(req, socket, head)
      })
    },
    async buildEnd() {
      await follow?.close()
      await bridge?.close()
    },
  }
}
