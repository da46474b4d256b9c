/**
 * A foreign web site on another local port (another origin, same site as the deck's localhost):
 * serves the HTML a test's attacker page is made of, per request path.
 */
import http from 'node:http'
import { freePort } from '../../dev/ports.ts'

export interface ForeignSite {
  /** Its origin, e.g. http://localhost:40123 */
  origin: string
  port: number
  close: () => void
}

export async function foreignSite(html: (path: string) => string): Promise<ForeignSite> {
  const port = await freePort()
  const server = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(req.url ?? '/')))
  await new Promise<void>(r => server.listen(port, '127.0.0.1', r))
  return { origin: `http://localhost:${port}`, port, close: () => server.close() }
}
