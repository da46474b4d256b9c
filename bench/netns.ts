/**
 * The bench's private network namespace: loopback only, so that Chromium is immune to other
 * containers' interfaces coming and going (net::ERR_NETWORK_CHANGED aborts page loads on a
 * machine running the docker/k8s demos). BENCH_NETNS=0 runs in place.
 *
 * The Kubernetes demos' kubectl talks to an API server on the host's loopback (the testbed's
 * 127.0.0.1:6443), which the namespace cannot reach. So the outer process serves a unix socket
 * (a file, which the namespace sees) that leads to the API server, and the inner one listens on
 * the same loopback address inside and leads there: kubeconfig and demos stay as they are.
 * The inner end lives in the bench's event loop: a synchronous child process would stall it.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'

const TUNNEL_ENV = 'BENCH_API_TUNNEL'

const kubeconfigSchema = z.object({
  'current-context': z.string().optional(),
  'contexts': z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string() }) })).default([]),
  'clusters': z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string() }) })).default([]),
})

/** The API server's loopback port from $KUBECONFIG, if it is on this machine's loopback. */
function loopbackApiPort(): number | undefined {
  const file = process.env.KUBECONFIG
  if (!file)
    return undefined
  try {
    const kc = kubeconfigSchema.parse(parse(readFileSync(file, 'utf8')))
    const cluster = kc.contexts.find(c => c.name === kc['current-context'])?.context.cluster ?? kc.clusters[0]?.name
    const url = new URL(kc.clusters.find(c => c.name === cluster)?.cluster.server ?? '')
    return ['127.0.0.1', 'localhost'].includes(url.hostname) ? Number(url.port || 443) : undefined
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

/** Inside the namespace: the API server's loopback address leads to the outer process. */
export async function openApiTunnelInside(): Promise<void> {
  const [socket, port] = (process.env[TUNNEL_ENV] ?? '').split(' ')
  if (socket && port)
    await forward({ host: '127.0.0.1', port: Number(port) }, { path: socket })
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
    const port = loopbackApiPort()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-api-'))
    const socket = path.join(dir, 'api.sock')
    const tunnel = port ? await forward({ path: socket }, { host: '127.0.0.1', port }) : undefined
    const child = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_IN_NETNS: '1', ...(tunnel ? { [TUNNEL_ENV]: `${socket} ${port}` } : {}) },
    })
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.on(sig, () => {
        if (child.pid)
          process.kill(child.pid, sig)
      })
    }
    tunnel?.ref() // serves the inner bench until it exits
    const code = await new Promise<number>(resolve => child.on('exit', c => resolve(c ?? 1)))
    tunnel?.close()
    rmSync(dir, { recursive: true, force: true })
    return code
  })()
}
