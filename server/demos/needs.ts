/**
 * What a demo needs from the machine, checked for real: used by rehearse (to skip or fail a
 * demo) and by doctor (to tell the presenter what is missing and how to get it).
 */
import type { CheckResult } from '../machine/check-result.ts'
import type { Need } from '../../common/demo-schema.ts'
import type { Demo } from './demos.ts'
import { accessSync, constants, statfsSync } from 'node:fs'
import path from 'node:path'
import { clusterNodes, imagesReachCluster, nodesAtLeast } from './cluster-checks.ts'
import { placement } from '../demo-host/placement.ts'
import { run } from '../machine/command.ts'

export function onPath(command: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(':').filter(Boolean)) {
    const candidate = path.join(dir, command)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    }
    catch {}
  }
  return undefined
}

const CGROUP2_MAGIC = 0x63677270

export function cgroupVersion(): 1 | 2 | undefined {
  try {
    return statfsSync('/sys/fs/cgroup').type === CGROUP2_MAGIC ? 2 : 1
  }
  catch {
    return undefined
  }
}

const firstLine = (s: string) => s.trim().split('\n')[0] ?? ''

/**
 * One check per need, reused for a short while: a rehearsal asks per demo, and a presenter who
 * starts Docker after the deck sees it on the next slide visit.
 */
const cache = new Map<Need, { at: number, result: Promise<CheckResult> }>()
const CACHE_MS = 15_000

export function checkNeed(need: Need): Promise<CheckResult> {
  const hit = cache.get(need)
  if (hit && Date.now() - hit.at < CACHE_MS)
    return hit.result
  const result = CHECKS[need]()
  cache.set(need, { at: Date.now(), result })
  return result
}

const CHECKS: Record<Need, () => Promise<CheckResult>> = {
  async 'root'() {
    const uid = process.getuid?.()
    return uid === 0
      ? { ok: true, detail: 'running as root' }
      : { ok: false, detail: `running as uid ${uid}`, fix: 'namespace and cgroup demos need root: run the deck with sudo (sudo -E npm start)' }
  },
  async 'docker'() {
    if (!onPath('docker'))
      return { ok: false, detail: 'docker not found on PATH', fix: 'install Docker (Debian/Ubuntu: sudo apt-get install docker.io)' }
    const r = await run('docker', ['version', '--format', '{{.Server.Version}}'])
    return r.ok
      ? { ok: true, detail: `Docker engine ${r.stdout.trim()}` }
      : { ok: false, detail: `Docker daemon not reachable: ${firstLine(r.stderr)}`, fix: 'start Docker (sudo systemctl start docker) or set DOCKER_HOST; without root, join the docker group' }
  },
  async 'kubectl'() {
    if (!onPath('kubectl'))
      return { ok: false, detail: 'kubectl not found on PATH', fix: 'install kubectl (https://kubernetes.io/docs/tasks/tools/) and point it at a cluster (kind, minikube, k3d, docker-desktop, ...)' }
    const ctx = await run('kubectl', ['config', 'current-context'])
    if (!ctx.ok)
      return { ok: false, detail: 'kubectl has no current context', fix: 'create a cluster (e.g. kind create cluster) or select one: kubectl config use-context NAME' }
    const nodes = await clusterNodes()
    if (!nodes.answered)
      return { ok: false, detail: `context ${ctx.stdout.trim()}: API server not reachable: ${firstLine(nodes.error)}`, fix: 'start the cluster of the current context, or switch context (kubectl config use-context NAME)' }
    return nodes.ready.length > 0
      ? { ok: true, detail: `context ${ctx.stdout.trim()}: ${nodes.ready.length}/${nodes.all.length} nodes Ready` }
      : { ok: false, detail: `context ${ctx.stdout.trim()}: no node is Ready`, fix: 'wait for the nodes (kubectl get nodes) or restart the cluster' }
  },
  'k8s-images': imagesReachCluster,
  'nodes>=2': () => nodesAtLeast(2),
  async 'metrics-server'() {
    const r = await run('kubectl', ['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes', '--request-timeout=8s'], 12_000)
    return r.ok
      ? { ok: true, detail: 'metrics API answers' }
      : { ok: false, detail: 'no metrics API (metrics-server) in the cluster: autoscaling can\'t see CPU use', fix: 'install metrics-server (minikube addons enable metrics-server; kind/k3d: kubectl apply -f components.yaml from the metrics-server release, with --kubelet-insecure-tls on kind); the slide falls back to its recording' }
  },
  async 'cgroup-v1'() {
    const v = cgroupVersion()
    return v === 1 ? { ok: true, detail: 'cgroup v1' } : { ok: false, detail: `cgroup v${v ?? '?'}`, fix: 'this demo needs a machine with cgroup v1' }
  },
  async 'cgroup-v2'() {
    const v = cgroupVersion()
    return v === 2 ? { ok: true, detail: 'cgroup v2' } : { ok: false, detail: `cgroup v${v ?? '?'}`, fix: 'this demo needs a machine with cgroup v2 (systemd.unified_cgroup_hierarchy=1)' }
  },
}

export interface UnmetNeed { need: string, detail: string, fix?: string }

/**
 * `root` where the demo runs in the demo host: root inside a privileged container, which takes a
 * Docker engine that answers (the image is built from this machine's programs at first use).
 */
async function demoHostRoot(why: string): Promise<CheckResult> {
  const docker = await checkNeed('docker')
  return docker.ok
    ? { ok: true, detail: `root in the demo host, a privileged container (${why}; ${docker.detail})` }
    : { ok: false, detail: `the demo host (${why}) needs Docker: ${docker.detail}`, fix: `${docker.fix}; or run the deck as root on Linux with DEMO_HOST=host` }
}

/** Every need of the demo that this machine does not meet (commands included). */
export async function unmetNeeds(demo: Demo): Promise<UnmetNeed[]> {
  const unmet: UnmetNeed[] = []
  const where = placement(demo)
  for (const need of demo.needs) {
    const r = need === 'root' && where.where === 'container' ? await demoHostRoot(where.why) : await checkNeed(need)
    if (!r.ok)
      unmet.push({ need, detail: r.detail, fix: r.fix })
  }
  // In the demo host too: its image is built from this machine's copies (server/demo-host/image.ts).
  for (const command of demo.commands) {
    if (!onPath(command))
      unmet.push({ need: `command:${command}`, detail: `${command} not found on PATH`, fix: `install ${command} (Debian: apt-cache search ${command})` })
  }
  return unmet
}
