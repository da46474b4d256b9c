/**
 * The bench's private network namespace: loopback only, so that Chromium is immune to other
 * containers' interfaces coming and going (net::ERR_NETWORK_CHANGED aborts page loads on a
 * machine running the docker/k8s demos). BENCH_NETNS=0 runs in place.
 *
 * The Kubernetes demos talk to services on the host's loopback that the namespace cannot reach:
 * the API server (the testbed's 127.0.0.1:6443, from $KUBECONFIG) and the image registry
 * ($DEMO_REGISTRY, e.g. 127.0.0.1:5000, which the server checks before a demo starts). For each,
 * the outer process serves a unix socket (a file, which the namespace sees) that leads to it, and
 * the inner one listens on the same loopback port inside and leads there: the kubeconfig and
 * the demos stay as they are.
 * The inner end lives in the bench's event loop: a synchronous child process would stall it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'

const TUNNEL_ENV = 'BENCH_TUNNELS'

const kubeconfigSchema = z.object({
  'current-context': z.string().optional(),
  'contexts': z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string() }) })).default([]),
  'clusters': z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string() }) })).default([]),
})

/** The port of `url` if it is on this machine's loopback. */
function loopbackPort(url: URL): number | undefined {
  return ['127.0.0.1', 'localhost'].includes(url.hostname) ? Number(url.port || (url.protocol === 'https:' ? 443 : 80)) : undefined
}

/** The loopback ports the demos reach: the API server's and the registry's, where they are local. */
function loopbackPorts(): number[] {
  const registry = process.env.DEMO_REGISTRY ? loopbackPort(new URL(`http://${process.env.DEMO_REGISTRY}`)) : undefined
  return [...new Set([apiServerPort(), registry].filter((p): p is number => p !== undefined))]
}

/** The API server's loopback port from $KUBECONFIG, if it is on this machine's loopback. */
function apiServerPort(): number | undefined {
  const file = process.env.KUBECONFIG
  if (!file)
    return undefined
  try {
    const kc = kubeconfigSchema.parse(parse(readFileSync(file, 'utf8')))
    const cluster = kc.contexts.find(c => c.name === kc['current-context'])?.context.cluster ?? kc.clusters[0]?.name
    return loopbackPort(new URL(kc.clusters.find(c => c.name === cluster)?.cluster.server ?? ''))
  }
  catch {
    return undefined // no usable kubeconfig: the Kubernetes demos show their recordings, as without the tunnel
  }
}

/** Serves `listenOn` and connects each stream to `target`, both ways. */
function forward(listenOn: net.ListenOptions, target: net.NetConnectOpts): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(target)
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(listenOn, () => resolve(server.unref()))
  })
}

/** Inside the namespace: each tunnelled loopback port leads to the outer process. */
export async function openTunnelsInside(): Promise<void> {
  for (const entry of (process.env[TUNNEL_ENV] ?? '').split(' ').filter(Boolean)) {
    const [port, socket] = entry.split('=')
    await forward({ host: '127.0.0.1', port: Number(port) }, { path: socket! })
  }
}

/** Re-runs this bench in a new network namespace with only loopback; undefined if it can't. */
export function reexecInNetns(): Promise<number> | undefined {
  if (process.env.BENCH_IN_NETNS || process.env.BENCH_NETNS === '0')
    return undefined
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) {
    console.log('(no private network namespace available: running in place)')
    return undefined
  }
  return (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-tunnel-'))
    const tunnels = await Promise.all(loopbackPorts().map(async (port) => {
      const socket = path.join(dir, `${port}.sock`)
      return { entry: `${port}=${socket}`, server: await forward({ path: socket }, { host: '127.0.0.1', port }) }
    }))
    const child = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_IN_NETNS: '1', [TUNNEL_ENV]: tunnels.map(t => t.entry).join(' ') },
    })
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.on(sig, () => {
        if (child.pid)
          process.kill(child.pid, sig)
      })
    }
    tunnels.forEach(t => t.server.ref()) // they serve the inner bench until it exits
    const code = await new Promise<number>(resolve => child.on('exit', c => resolve(c ?? 1)))
    tunnels.forEach(t => t.server.close())
    rmSync(dir, { recursive: true, force: true })
    return code
  })()
}
