/**
 * The engines a rehearsal ran against, for its recording's header: a recording made on another
 * Docker or cluster than the one on stage shows it (a legacy builder's screen, a node on Docker
 * where the talk says containerd). Stored in the asciicast v2 header's `env` (string → string,
 * per the format) under the keys below; demos/README.md documents them.
 */
import type { Demo } from '../demos/demos.ts'
import { run } from '../machine/command.ts'
import { placement } from '../demo-host/placement.ts'

/** Docker's server version (`docker version`), e.g. `20.10.24+dfsg1`. */
export const DOCKER_KEY = 'DEMO_DOCKER_ENGINE'
/** The cluster's API server version, e.g. `v1.20.15`. */
export const CLUSTER_KEY = 'DEMO_KUBERNETES'
/** Each node's runtime as the node reports it, e.g. `testbed=docker://20.10.24 testbed-2=containerd://1.6.20`. */
export const RUNTIMES_KEY = 'DEMO_NODE_RUNTIMES'
/** `container` when the demo ran in the demo host (server/demo-host/): its kernel was the Docker engine's. */
export const DEMO_HOST_KEY = 'DEMO_HOST'

async function dockerVersion(): Promise<string | undefined> {
  const r = await run('docker', ['version', '--format', '{{.Server.Version}}'])
  return r.ok ? r.stdout.trim() || undefined : undefined
}

async function clusterVersion(): Promise<string | undefined> {
  const r = await run('kubectl', ['version', '-o', 'json', '--request-timeout=8s'], 12_000)
  try {
    return (JSON.parse(r.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion
  }
  catch {
    return undefined
  }
}

export async function nodeRuntimes(): Promise<string | undefined> {
  const r = await run('kubectl', ['get', 'nodes', '--request-timeout=8s', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.nodeInfo.containerRuntimeVersion} {end}'], 12_000)
  return r.ok ? r.stdout.trim() || undefined : undefined
}

/** The header entries for what the demo needs (Docker, a cluster); an engine that does not answer is left out. */
export async function engineVersions(demo: Demo): Promise<Record<string, string>> {
  const entries: [string, Promise<string | undefined>][] = []
  const inDemoHost = placement(demo).where === 'container'
  if (inDemoHost)
    entries.push([DEMO_HOST_KEY, Promise.resolve('container')])
  if (demo.needs.includes('docker') || inDemoHost)
    entries.push([DOCKER_KEY, dockerVersion()])
  if (demo.needs.includes('kubectl'))
    entries.push([CLUSTER_KEY, clusterVersion()], [RUNTIMES_KEY, nodeRuntimes()])
  const out: Record<string, string> = {}
  for (const [key, value] of entries) {
    const v = await value
    if (v)
      out[key] = v
  }
  return out
}
