/**
 * A second machine on this one's network, for `doctor --follow` (server/follow/reach.ts) and the
 * tests' LAN peer (tests/helpers/netns.ts): a private network namespace joined to this one by a
 * veth pair, `<net>.1` on this end and `<net>.2` on the other. Needs root and iproute2. Its names
 * carry `kind` and this process's pid (a leftover is easy to tell; LT_NETNS_PREFIX, default
 * `lt`, starts them), and `remove()` deletes both.
 */
import { execFileSync } from 'node:child_process'

export interface Link {
  /** The namespace's name: `ip netns exec <ns> …` runs a program on the other machine. */
  ns: string
  hostAddress: string
  peerAddress: string
  /** Runs `ip` with these arguments (throws on failure, with its stderr). */
  ip: (...args: string[]) => void
  remove: () => void
}

export function createLink(kind: string, net: string, prefixLength: number): Link {
  const id = process.pid % 100_000
  const prefix = process.env.LT_NETNS_PREFIX ?? 'lt'
  const ns = `${prefix}${kind}-${id}`
  const [hostIf, peerIf] = [`${prefix}${kind[0]}${id}h`, `${prefix}${kind[0]}${id}p`]
  const ip = (...args: string[]) => void execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 })
  const remove = () => {
    for (const args of [['link', 'del', hostIf], ['netns', 'del', ns]]) {
      try {
        ip(...args)
      }
      catch {} // already gone
    }
  }
  remove()
  try {
    ip('netns', 'add', ns)
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf)
    ip('link', 'set', peerIf, 'netns', ns)
    ip('addr', 'add', `${net}.1/${prefixLength}`, 'dev', hostIf)
    ip('link', 'set', hostIf, 'up')
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${net}.2/${prefixLength}`, 'dev', peerIf)
    ip('netns', 'exec', ns, 'ip', 'link', 'set', peerIf, 'up')
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up')
  }
  catch (err) {
    remove()
    throw err
  }
  return { ns, hostAddress: `${net}.1`, peerAddress: `${net}.2`, ip, remove }
}
