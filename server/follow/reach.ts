/**
 * `npm run doctor -- --follow [--bind <address>]`: can a second machine reach the follow address?
 * For each address follow mode would print, a listener on it (a free port) and a request to it
 * from a second network namespace, joined to this one by a veth pair and routed to that address
 * (root and iproute2 needed). This finds a wrong address, a listener that cannot bind and a local
 * firewall; it cannot see a venue network that isolates its clients (only a phone on it can):
 * then a hotspot or a travel router, as the README says.
 */
import type { AddressInfo } from 'node:net'
import type { DoctorLine } from '../check-result.ts'
import { execFile, execFileSync } from 'node:child_process'
import http from 'node:http'
import { promisify } from 'node:util'
import { followUrls } from './options.ts'

const run = promisify(execFile)

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 })
}

/** Requests `url` from inside a fresh namespace routed to `address`; resolves with the status, or throws. */
async function fromNamespace(address: string, url: string): Promise<string> {
  const id = process.pid % 10_000
  const ns = `ltfollow-${id}`
  const [hostIf, peerIf] = [`ltf${id}h`, `ltf${id}p`]
  const net = `10.253.${id % 250}`
  const remove = () => {
    for (const args of [['link', 'del', hostIf], ['netns', 'del', ns]]) {
      try {
        ip(...args)
      }
      catch {}
    }
  }
  remove()
  try {
    ip('netns', 'add', ns)
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf)
    ip('link', 'set', peerIf, 'netns', ns)
    ip('addr', 'add', `${net}.1/30`, 'dev', hostIf)
    ip('link', 'set', hostIf, 'up')
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${net}.2/30`, 'dev', peerIf)
    ip('netns', 'exec', ns, 'ip', 'link', 'set', peerIf, 'up')
    ip('netns', 'exec', ns, 'ip', 'route', 'add', `${address}/32`, 'via', `${net}.1`)
    const script = `require('http').get(${JSON.stringify(url)}, { timeout: 5000 }, r => { console.log(r.statusCode); process.exit(0) }).on('error', e => { console.log(e.message); process.exit(1) })`
    const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { timeout: 15_000 })
    return stdout.trim()
  }
  finally {
    remove()
  }
}

export async function followReach(bind = '0.0.0.0'): Promise<DoctorLine[]> {
  const addresses = followUrls(bind, 1, 'x').map(u => new URL(u).hostname)
  if (addresses.length === 1 && addresses[0] === '127.0.0.1' && bind === '0.0.0.0')
    return [{ name: 'follow: network address', ok: false, detail: 'this machine has no network address besides loopback', fix: 'join the venue network, or a phone hotspot / travel router' }]
  const lines: DoctorLine[] = []
  const root = process.getuid?.() === 0
  for (const address of addresses) {
    const server = http.createServer((_req, res) => res.writeHead(200).end('ok'))
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, bind === '0.0.0.0' ? '0.0.0.0' : address, resolve)
      })
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
        : { name: `follow: ${address}`, ok: false, detail: `not reached from a second network namespace: ${answer}`, fix: 'check the firewall (port of the follow listener: the deck\'s + 1), or --bind another address' })
    }
    await new Promise(r => server.close(r))
  }
  return lines
}
