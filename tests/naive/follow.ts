/**
 * Follow mode without its own code path, for `npm run test:naive`: a listener on the follow
 * address that hands every request and socket to the ordinary bridge (the naive one, or the
 * project's own with all its defences: tests/helpers/follow-server.ts), the way a tool that
 * "shares the terminal with the audience" is first written. The follow security tests must fail
 * against both.
 */
import type { AddressInfo } from 'node:net'
import net from 'node:net'

export async function startPassThrough(bridgePort: number, host: string): Promise<{ port: number, close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(bridgePort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>(r => server.listen(0, host, r))
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets)
        s.destroy()
      await new Promise(r => server.close(r))
    },
  }
}
