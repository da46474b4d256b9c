/**
 * `npm run doctor -- --follow [--bind <address>] [--port <deck's>]`: can a second machine reach the follow address?
 * For each address follow mode would print, a listener on it (on the follow listener's port, flags.ts, or a free one when that is taken) and a request to it
 * from a second network namespace, joined to this one by a veth pair and routed to that address
 * (root and iproute2 needed). This finds a wrong address, a listener that cannot bind and a local
 * firewall; it cannot see a venue network that isolates its clients (only a phone on it can):
 * then a hotspot or a travel router, as the README says.
 */
import type { AddressInfo } from 'node:net'
import type { DoctorLine } from '../machine/check-result.ts'
import { execFile } from 'node:child_process'
import http from 'node:http'
import { promisify } from 'node:util'
import { createLink } from '../machine/netns.ts'
import { followUrls } from './options.ts'

const run = promisify(execFile)

/** Requests `url` from inside a fresh namespace routed to `address`; resolves with the status, or throws. */
async function fromNamespace(address: string, url: string): Promise<string> {
  const link = createLink('follow', `10.253.${process.pid % 250}`, 30)
  try {
    link.ip('netns', 'exec', link.ns, 'ip', 'route', 'add', `${address}/32`, 'via', link.hostAddress)
    const script = `require('http').get(${JSON.stringify(url)}, { timeout: 5000 }, r => { console.log(r.statusCode); process.exit(0) }).on('error', e => { console.log(e.message); process.exit(1) })`
    const { stdout } = await run('ip', ['netns', 'exec', link.ns, process.execPath, '-e', script], { timeout: 15_000 })
    return stdout.trim()
  }
  finally {
    link.remove()
  }
}

/** A listener on `host`:`port`, or on a free port when that one is taken (the deck runs with follow on). */
async function listen(host: string, port: number): Promise<http.Server> {
  const attempt = (p: number) => new Promise<http.Server>((resolve, reject) => {
    const server = http.createServer((_req, res) => res.writeHead(200).end('ok'))
    server.once('error', reject)
    server.listen(p, host, () => resolve(server))
  })
  return attempt(port).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE' && port !== 0)
      return attempt(0)
    throw err
  })
}

export async function followReach(bind = '0.0.0.0', port = 0): Promise<DoctorLine[]> {
  const addresses = followUrls(bind, 1, 'x').map(u => new URL(u).hostname)
  if (addresses.length === 1 && addresses[0] === '127.0.0.1' && bind === '0.0.0.0')
    return [{ name: 'follow: network address', ok: false, detail: 'this machine has no network address besides loopback', fix: 'join the venue network, or a phone hotspot / travel router' }]
  const lines: DoctorLine[] = []
  const root = process.getuid?.() === 0
  for (const address of addresses) {
    let server: http.Server
    try {
      server = await listen(bind === '0.0.0.0' ? '0.0.0.0' : address, port)
    }
    catch (err) {
      lines.push({ name: `follow: ${address}`, ok: false, detail: `cannot listen there: ${(err as Error).message}`, fix: '--bind one of this machine\'s addresses (ip addr)' })
      continue
    }
    const url = `http://${address.includes(':') ? `[${address}]` : address}:${(server.address() as AddressInfo).port}/`
    if (!root) {
      lines.push({ name: `follow: ${address}`, ok: true, optional: true, detail: `listens; reachability from another machine not checked (a network namespace needs root): open ${url} on a phone` })
    }
    else {
      const answer = await fromNamespace(address, url).catch((err: Error) => err.message.split('\n')[0] ?? 'failed')
      lines.push(answer === '200'
        ? { name: `follow: ${address}`, ok: true, detail: `reached from a second network namespace (${url}); a venue network that isolates clients is only seen from a phone on it` }
        : { name: `follow: ${address}`, ok: false, detail: `not reached from a second network namespace: ${answer}`, fix: `check the firewall (it must let in TCP port ${port || 'of the follow listener'}), or --bind another address` })
    }
    await new Promise(r => server.close(r))
  }
  return lines
}
