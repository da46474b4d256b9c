/**
 * What a demo leaves on the machine: taken before its setup and after its reset, the difference
 * is what it left behind (mounts, network links, cgroups, containers, its Kubernetes namespace,
 * its demo-host containers).
 * Only what the demo can have made counts: mounts under its folder or a path its files name,
 * links and cgroups its files name, and anything left in the session cgroups this process made
 * for the demo; the rest of the machine (systemd's scopes, other programs' groups, the other
 * demos of a parallel rehearsal) is not the demo's business.
 * Runtime-owned state (Docker's and the kubelet's own mounts) is judged by the containers.
 */
import type { Demo } from '../demos/demos.ts'
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import path from 'node:path'
import { cgroupMode } from '../containment/cgroup.ts'
import { demoHostContainers } from '../demo-host/container.ts'
import { placement } from '../demo-host/placement.ts'
import { mounts } from '../containment/mounts.ts'
import { demoEnv } from '../demos/demos.ts'
import { run } from '../machine/command.ts'

/** Where a demo can leave things: its folder, the absolute paths and the words in its files. */
interface Places { dirs: string[], words: Set<string> }

/** The demo's files and the shared `../_name/` folders they use (recording aside). */
function places(demo: Demo): Places {
  const texts: string[] = []
  const read = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      const file = path.join(e.parentPath, e.name)
      if (e.isFile() && !e.name.endsWith('.cast') && statSync(file).size < 256 * 1024)
        texts.push(readFileSync(file, 'utf8'))
    }
  }
  read(demo.dir)
  for (const shared of new Set(texts.join('\n').match(/\.\.\/_[\w-]+/g) ?? []))
    read(path.join(demo.dir, shared))
  const all = texts.join('\n')
  const dirs = [demo.dir, ...(all.match(/(?<![\w$}])\/(?:[\w.-]+\/)*[\w.-]+/g) ?? [])]
    .filter(p => p.split('/').length > 2) // /proc, /sys: named as tools, not as the demo's places
  return { dirs, words: new Set(all.match(/[\w.-]+/g)) }
}

const under = (p: string, dirs: string[]) => dirs.some(d => p === d || p.startsWith(`${d}/`))

export type Footprint = Map<string, Set<string>>

const RUNTIME_MOUNTS = /^\/(?:var\/lib\/(?:docker|kubelet|containerd)|run\/(?:docker|containerd|netns|k8s-testbed)|var\/run\/(?:docker|netns))\//

function demoMounts(at: Places): Set<string> {
  return new Set(mounts().map(m => m.point).filter(point => !RUNTIME_MOUNTS.test(`${point}/`) && under(point, at.dirs)))
}

/** Network links the demo's files name, except the container runtime's (veths enslaved to its bridges). */
function links(at: Places): Set<string> {
  let names: string[]
  try {
    names = readdirSync('/sys/class/net')
  }
  catch {
    return new Set()
  }
  return new Set(names.filter((name) => {
    if (!at.words.has(name))
      return false
    try {
      return !/^(?:docker\d*|cni\d*|cbr\d*|br-[0-9a-f]+)$/.test(path.basename(readlinkSync(`/sys/class/net/${name}/master`)))
    }
    catch {
      return true // no master: not the runtime's
    }
  }))
}

/**
 * Cgroups named in the demo's files, in every hierarchy, plus whatever is still inside the
 * session cgroups this process made for the demo (its shell's and its scripts', named after its
 * id: see containment/cgroup.ts; a group is removed when its session or script ends). Another
 * demo's groups beside it, in a parallel rehearsal, are that demo's.
 */
function cgroups(demo: Demo, at: Places, root = '/sys/fs/cgroup', depth = 6): Set<string> {
  const out = new Set<string>()
  const mode = cgroupMode()
  const ours = mode.kind === 'none' ? undefined : mode.parent
  const own = sessionGroupName(demo.id)
  const walk = (dir: string, left: number, inOwn: boolean) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    }
    catch {
      return
    }
    for (const e of entries) {
      if (!e.isDirectory())
        continue
      const p = path.join(dir, e.name)
      const mine = inOwn || (dir === ours && own.test(e.name))
      if (mine || at.words.has(e.name))
        out.add(p)
      if (left > 0)
        walk(p, left - 1, mine)
    }
  }
  walk(root, depth, false)
  return out
}

/** The names of a demo's session and script groups (Containment.create(id), `${id}-setup`, `${id}-reset`); an id is [a-z0-9-]. */
export function sessionGroupName(id: string): RegExp {
  return new RegExp(`^${id}(?:-(?:setup|reset))?-[0-9a-f]{8}$`)
}

/**
 * Ours, from `docker ps -a --format '{{.Names}} {{.State}}'`: named for the talk, or (the
 * kubelet's names, k8s_<container>_<pod>_<ns>_…) in the demos' namespace. The kubelet's exited
 * containers are not counted: once their pod is gone they are its garbage, removed by its
 * container GC within a minute or so and holding no process; whether the pods are gone is the
 * namespace check's job.
 */
export function ourContainers(ps: string, namespace: string): Set<string> {
  const out = new Set<string>()
  for (const line of ps.split('\n')) {
    const [name = '', state = ''] = line.trim().split(/\s+/)
    const ours = name.startsWith('k8s_')
      ? name.includes(`_${namespace}_`) && !/^(?:exited|dead)$/.test(state)
      : name.includes('k8s-basics')
    if (ours)
      out.add(name)
  }
  return out
}

async function containers(demo: Demo): Promise<Set<string>> {
  const r = await run('docker', ['ps', '-a', '--format', '{{.Names}} {{.State}}'])
  return r.ok ? ourContainers(r.stdout, demoEnv(demo).DEMO_NAMESPACE!) : new Set()
}

async function namespace(demo: Demo): Promise<Set<string>> {
  const ns = demoEnv(demo).DEMO_NAMESPACE!
  const r = await run('kubectl', ['get', 'namespace', ns, '--ignore-not-found', '-o', 'name', '--request-timeout=10s'], 15_000)
  return new Set(r.stdout.split('\n').filter(Boolean))
}

export async function footprint(demo: Demo): Promise<Footprint> {
  const at = places(demo)
  const f: Footprint = new Map([['mount', demoMounts(at)], ['link', links(at)], ['cgroup', cgroups(demo, at)]])
  if (demo.needs.includes('docker') || demo.commands.includes('docker'))
    f.set('container', await containers(demo))
  if (demo.needs.includes('kubectl'))
    f.set('kubernetes', await namespace(demo))
  // The demo host holds the demo's processes, mounts and cgroups: gone with its container.
  if (placement(demo).where === 'container')
    f.set('demo host', await demoHostContainers(demo.id))
  return f
}

/** What `after` has that `before` had not, as "kind name" lines. */
export function leftovers(before: Footprint, after: Footprint): string[] {
  const out: string[] = []
  for (const [kind, items] of after) {
    for (const item of items) {
      if (!before.get(kind)?.has(item))
        out.push(`${kind} ${item}`)
    }
  }
  return out
}

/** Kinds of state that disappear a while after their owner says it deleted them. */
const ASYNC = /^(?:container|kubernetes|link|demo host) /

/** Leftovers after a reset, given time to go for things that end asynchronously (pods). */
export async function leftBehind(demo: Demo, before: Footprint, waitMs = 20_000): Promise<string[]> {
  const started = Date.now()
  let left = leftovers(before, await footprint(demo))
  while (left.length > 0 && Date.now() - started < (left.some(l => ASYNC.test(l)) ? waitMs : 2000)) {
    await new Promise(r => setTimeout(r, 1000))
    left = leftovers(before, await footprint(demo))
  }
  return left
}
