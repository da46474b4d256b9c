/**
 * How the Kubernetes demos' images reach the cluster, checked for real: which path the current
 * context needs (its own Docker engine, kind/minikube/k3d load, or a registry), whether the
 * registry answers, and whether the nodes can pull from it. Used by needs (k8s-images,
 * nodes>=2) and by doctor.
 */
import type { CheckResult } from '../machine/check-result.ts'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { run } from '../machine/command.ts'
import { DEMOS_DIR, demoNamespace } from './demos.ts'

const LIB = path.join(DEMOS_DIR, '_k8s', 'lib.sh')
const firstLine = (s: string) => s.trim().split('\n')[0] ?? ''

/** Runs a function of demos/_k8s/lib.sh (the one place that decides), its error without the prefix. */
async function lib(call: string, timeoutMs = 20_000) {
  const r = await run('bash', ['-c', `. ${JSON.stringify(LIB)} && ${call}`], timeoutMs)
  return { ...r, stderr: r.stderr.replace(/^\[k8s-demo\] (?:error: )?/gm, '').trim() }
}

export type ImagePath = CheckResult & { kind?: 'local' | 'kind' | 'minikube' | 'k3d' | 'registry' }

const HOW: Record<NonNullable<ImagePath['kind']>, (name: string) => string> = {
  local: () => 'the cluster runs on this Docker engine and uses its images as built (one node)',
  kind: name => `kind load docker-image into cluster ${name}`,
  minikube: name => `minikube -p ${name} image load`,
  k3d: name => `k3d image import into cluster ${name}`,
  registry: () => `pushed to DEMO_REGISTRY=${process.env.DEMO_REGISTRY}, pulled by digest`,
}

/** The path the current context needs, as detect_cluster in lib.sh decides it. */
export async function imagePath(): Promise<ImagePath> {
  const r = await lib('detect_cluster && echo "$CLUSTER_KIND $CLUSTER_NAME"')
  const [kind, name = ''] = r.stdout.trim().split(' ')
  if (!r.ok || !kind || !(kind in HOW))
    return { ok: false, detail: firstLine(r.stderr) || 'cannot tell how images reach this cluster', fix: 'a cluster that cannot see this machine\'s images needs a registry: set DEMO_REGISTRY=host:port to one the nodes pull from (docker login to it first); or DEMO_CLUSTER=local|kind|minikube|k3d' }
  const k = kind as NonNullable<ImagePath['kind']>
  return { ok: true, kind: k, detail: HOW[k](name) }
}

/** Does the registry's API answer? Plain HTTP on loopback (as Docker allows), HTTPS elsewhere. */
export async function registryAnswers(registry: string): Promise<CheckResult> {
  const host = registry.replace(/\/.*$/, '')
  const scheme = /^(?:127\.|localhost(?::|$)|\[::1\])/.test(host) ? 'http' : 'https'
  const url = `${scheme}://${host}/v2/`
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
    // 401 is an answer too: the registry wants the login docker push will use.
    return res.status === 200 || res.status === 401
      ? { ok: true, detail: `${url} answers (${res.status})` }
      : { ok: false, detail: `${url} answered ${res.status}, not a registry API`, fix: `check DEMO_REGISTRY=${registry}: host:port of a Docker registry (v2 API)` }
  }
  catch (err) {
    const { cause } = err as { cause?: { code?: string, message?: string } }
    const why = cause?.code ?? cause?.message ?? (err as Error).message
    return { ok: false, detail: `${url} does not answer (${why})`, fix: `start the registry or correct DEMO_REGISTRY=${registry}` }
  }
}

/** The cluster's nodes, and which of them are Ready (the node's Ready condition True; a cordoned node still counts). */
export interface ClusterNodes { answered: boolean, error: string, all: string[], ready: string[] }

export async function clusterNodes(): Promise<ClusterNodes> {
  const r = await run('kubectl', ['get', 'nodes', '--request-timeout=8s', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'], 12_000)
  const rows = r.stdout.split('\n').filter(Boolean).map(l => l.split(' '))
  return { answered: r.ok, error: r.stderr, all: rows.map(([name]) => name!), ready: rows.filter(([, ready]) => ready === 'True').map(([name]) => name!) }
}

/** Names of the Ready nodes (empty if the cluster does not answer). */
export async function readyNodes(): Promise<string[]> {
  return (await clusterNodes()).ready
}

export async function nodesAtLeast(n: number): Promise<CheckResult> {
  const nodes = await readyNodes()
  return nodes.length >= n
    ? { ok: true, detail: `${nodes.length} nodes Ready` }
    : { ok: false, detail: `${nodes.length} node${nodes.length === 1 ? '' : 's'} Ready, this demo moves pods between ${n}`, fix: `a cluster with ${n} or more nodes (kind with workers, minikube start --nodes ${n}, the k8s-testbed with KT_NODES=${n}); the slide shows the recording` }
}

/** What the Kubernetes demos need to get their images onto the nodes. */
export async function imagesReachCluster(): Promise<CheckResult> {
  const how = await imagePath()
  if (!how.ok || how.kind !== 'registry')
    return how
  const reg = await registryAnswers(process.env.DEMO_REGISTRY!)
  return reg.ok ? how : reg
}

const PROOF_IMAGE = 'k8s-basics/toolbox:v1'
const MAX_NODES = 3

/**
 * Proves the nodes pull from DEMO_REGISTRY: one short-lived pod per Ready node (at most three)
 * running the pushed toolbox image with imagePullPolicy Always, in a namespace of its own (a fresh
 * name each run, so one still being deleted is no obstacle), deleted after.
 */
export async function nodesPull(registry: string, timeoutMs = 90_000): Promise<CheckResult> {
  const ref = await lib(`pinned ${JSON.stringify(`${registry.replace(/\/$/, '')}/${PROOF_IMAGE}`)}`)
  if (!ref.ok)
    return { ok: false, detail: firstLine(ref.stderr), fix: 'push the demo images first: DEMO_REGISTRY=... bash demos/_k8s/images.sh (each Kubernetes demo\'s setup does it)' }
  const nodes = (await readyNodes()).slice(0, MAX_NODES)
  if (nodes.length === 0)
    return { ok: false, detail: 'no Ready node', fix: 'start the cluster (kubectl get nodes)' }
  const ns = demoNamespace(`doctor-${randomBytes(3).toString('hex')}`)
  const items = nodes.map((node, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pull-${i}`, labels: { 'app.kubernetes.io/part-of': 'k8s-basics' } },
    spec: { nodeName: node, restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'pull', image: ref.stdout.trim(), imagePullPolicy: 'Always', command: ['/bin/true'] }] },
  }))
  const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'k8s-basics.demo/owned': 'true', 'app.kubernetes.io/part-of': 'k8s-basics' } } }] })
  try {
    const created = await run('bash', ['-c', 'kubectl apply -f - <<<"$1" >/dev/null && kubectl apply -n "$2" -f - <<<"$3" >/dev/null', '_', manifest, ns, JSON.stringify({ apiVersion: 'v1', kind: 'List', items })], 30_000)
    if (!created.ok)
      return { ok: false, detail: `could not create the test pods in namespace ${ns}: ${firstLine(created.stderr)}`, fix: 'kubectl must be allowed to create namespaces and pods' }
    const until = Date.now() + timeoutMs
    let states: string[] = []
    while (Date.now() < until) {
      const r = await run('kubectl', ['get', 'pods', '-n', ns, '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.status.phase} {.status.containerStatuses[0].state.waiting.reason}{"\\n"}{end}'])
      states = r.stdout.trim().split('\n').filter(Boolean)
      if (states.length === nodes.length && states.every(s => / Succeeded\b/.test(s)))
        return { ok: true, detail: `${nodes.join(', ')} pulled ${ref.stdout.trim().replace(/@sha256:(.{12}).*/, '@sha256:$1…')}` }
      if (states.some(s => /ErrImagePull|ImagePullBackOff|InvalidImageName|Failed/.test(s)))
        break
      await new Promise(r => setTimeout(r, 1000))
    }
    const bad = states.filter(s => !/ Succeeded\b/.test(s)).map(s => s.trim().replace(/ (\S+) ?(\S*)$/, ': $2 $1').trim())
    return { ok: false, detail: `pull from ${registry} failed on ${bad.join('; ') || 'every node (no pod started)'}`, fix: `the nodes must reach ${registry} (a 127.0.0.1 registry serves only its own machine; remote nodes need its network address) and trust it (HTTPS, or the container runtime's insecure-registries)` }
  }
  finally {
    await run('kubectl', ['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'], 20_000)
  }
}

/** doctor's lines: the image path this cluster needs and, for a registry, that it answers and the nodes pull. */
export async function clusterImageLines(): Promise<(CheckResult & { name: string })[]> {
  const how = await imagePath()
  const lines = [{ name: 'image path', ...how }]
  const registry = process.env.DEMO_REGISTRY
  if (how.kind === 'registry' && registry) {
    const answers = await registryAnswers(registry)
    lines.push({ name: 'registry', ...answers })
    if (answers.ok)
      lines.push({ name: 'nodes pull', ...await nodesPull(registry) })
  }
  return lines
}
