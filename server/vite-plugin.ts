/**
 * Mounts the terminal bridge on the deck's own Vite server: one process, one port. Only
 * BRIDGE_PATH upgrades and TOKEN_PATH requests are ours; Vite's HMR socket is untouched.
 */
import type { Plugin } from 'vite'
import type { BridgeOptions } from './bridge.ts'
import { Bridge } from './bridge.ts'
import { closeOnShutdown } from './shutdown.ts'

/** `slidev export` serves the deck to a headless browser: it must show recordings, spawn nothing. */
function exportReason(argv = process.argv): string | undefined {
  const command = argv.slice(2).find(a => !a.startsWith('-'))
  return command?.startsWith('export') ? 'live terminals are off during slidev export' : undefined
}

export function liveTerminal(options: BridgeOptions = {}): Plugin {
  let bridge: Bridge | undefined
  return {
    name: 'live-terminal',
    apply: 'serve',
    configureServer(server) {
      const b = new Bridge({ disabledReason: exportReason(), ...options })
      bridge = b
      closeOnShutdown(b)
      server.middlewares.use((req, res, next) => {
        if (!b.handleRequest(req, res))
          next()
      })
      server.httpServer?.on('upgrade', (req, socket, head) => {
        b.handleUpgrade(req, socket, head)
      })
    },
    async buildEnd() {
      await bridge?.close()
    },
  }
}
