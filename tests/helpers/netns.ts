/**
 * Another machine on the presenter's network (server/machine/netns.ts: a private network
 * namespace joined to this one by a veth pair), with the tests' ways to run things on it.
 */
import { execFile, execFileSync } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { createLink } from '../../server/machine/netns.ts'

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
  /** Runs a script of the project inside the namespace with node (and tsx); resolves with its stdout. */
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
  const link = createLink('guard', `10.${200 + (id % 50)}.${id % 250}`, 24)
  const inside = (args: string[]) => promisify(execFile)('ip', ['netns', 'exec', link.ns, process.execPath, '--import', 'tsx', ...args], { cwd: ROOT, timeout: 60_000 })
  return {
    hostAddress: link.hostAddress,
    peerAddress: link.peerAddress,
    async probe(address, port, probes) {
      const { stdout } = await inside(['tests/helpers/peer-probe.ts', address, String(port), JSON.stringify(probes)])
      return JSON.parse(stdout) as { status: number, body: string }[]
    },
    ns: link.ns,
    async node(script, args) {
      return (await inside([script, ...args])).stdout
    },
    remove: link.remove,
  }
}
