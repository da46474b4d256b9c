/**
 * The bridge on its own http server, bound to 127.0.0.1: used by tests, benchmarks and
 * anything that needs live terminals without the deck.
 */
import type { AddressInfo } from 'node:net'
import type { BridgeOptions } from './bridge.ts'
import http from 'node:http'
import { Bridge } from './bridge.ts'
import { checkHost } from './guard.ts'
import { refuseRequest, refuseUpgrade } from './refusal.ts'

export interface StandaloneBridge {
  bridge: Bridge
  port: number
  /** The origin a page must have to connect: http://localhost:PORT */
  origin: string
  close: () => Promise<void>
}

export async function startStandalone(options: BridgeOptions & { port?: number } = {}): Promise<StandaloneBridge> {
  const { port = 0, ...bridgeOptions } = options
  const bridge = new Bridge(bridgeOptions)
  const server = http.createServer((req, res) => {
    if (bridge.handleRequest(req, res))
      return
    const host = checkHost(req) // the Host allow-list holds for every request, not only the bridge's
    refuseRequest(res, host.ok ? 404 : host.status, host.ok ? 'not found' : host.reason)
  })
  server.on('upgrade', (req, socket, head) => {
    if (bridge.handleUpgrade(req, socket, head))
      return
    // Same allow-list as plain requests: a foreign Host learns nothing, not even "not found".
    const host = checkHost(req)
    refuseUpgrade(socket, host.ok ? 404 : host.status, host.ok ? 'not found' : host.reason)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const actual = (server.address() as AddressInfo).port
  return {
    bridge,
    port: actual,
    origin: `http://localhost:${actual}`,
    close: async () => {
      await bridge.close()
      server.closeAllConnections()
      await new Promise(r => server.close(r))
    },
  }
}
