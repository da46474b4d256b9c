/**
 * Another machine on the presenter's network: a private network namespace joined to this one by
 * a veth pair, with an address on each end. Needs root and `ip`; everything it makes is removed
 * by `remove()` (and its names carry this process's pid, so a leftover is easy to tell).
 */
import { execFile, execFileSync } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface Peer {
  /** This machine's address on the link: what the deck binds to with `--remote --bind`. */
  hostAddress: string
  /** The other machine's address. */
  peerAddress: string
  /** Runs tests/helpers/peer-probe.ts inside the namespace: `send()` from the other machine. */
  probe: <T>(address: string, port: number, probes: T[]) => Promise<{ status: number, body: string }[]>
  /** The namespace's name (`ip netns exec <ns> …` runs a program on the other machine). */
  ns: string
  /** Runs a script of tests/helpers inside the namespace with node (and tsx); resolves with its stdout. */
  node: (script: string, args: string[]) => Promise<string>
  remove: () => void
}

/** Why a peer namespace can't be made here, or undefined when it can. */
export function peerUnavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return 'needs root (network namespaces)'
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' })
  }
  catch {
    return 'needs iproute2 (`ip`)'
  }
  return undefined
}

export function createPeer(): Peer {
  const id = process.pid % 100_000
  const ns = `ltguard-${id}`
  const [hostIf, peerIf] = [`ltg${id}h`, `ltg${id}p`]
  const net = `10.${200 + (id % 50)}.${id % 250}`
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 })
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
    ip('addr', 'add', `${net}.1/24`, 'dev', hostIf)
    ip('link', 'set', hostIf, 'up')
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${net}.2/24`, 'dev', peerIf)
    ip('netns', 'exec', ns, 'ip', 'link', 'set', peerIf, 'up')
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up')
  }
  catch (err) {
    remove()
    throw err
  }
  return {
    hostAddress: `${net}.1`,
    peerAddress: `${net}.2`,
    async probe(address, port, probes) {
      const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', 'tests/helpers/peer-probe.ts', address, String(port), JSON.stringify(probes)], { cwd: ROOT, timeout: 60_000 })
      return JSON.parse(stdout) as { status: number, body: string }[]
    },
    ns,
    async node(script, args) {
      const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', script, ...args], { cwd: ROOT, timeout: 60_000 })
      return stdout
    },
    remove,
  }
}
