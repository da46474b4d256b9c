/**
 * The demo host: one privileged container per session of a root demo (placement.ts says which),
 * on the presenter's Docker engine. The session's shell and its setup and reset scripts are
 * `docker exec`ed into it; the demos' folder is mounted read-only at its own path, so DEMO_DIR and
 * the working directory mean the same inside. Nothing in it needs the deck to be root.
 *
 * It lives while the session has something running: started before the setup (`start`), removed
 * whenever the session's containment ends what runs (`end`: its shell exited, the presenter
 * resets, the session ends, the server stops; `endNow` in the 'exit' hook), and started afresh
 * for the setup after a reset. Removing it takes all the demo made in it: processes (its PID
 * namespace dies with its init), mounts (its mount namespace), cgroups, files (its tmpfs). Its
 * init holds a lifeline, a pipe from this process: when the server dies outright (SIGKILL, a
 * crash), the pipe closes, the container stops and `--rm` removes it. What even that misses (the
 * Docker engine was away) the next server sweeps by label (`endStaleDemoHosts`).
 */
import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Demo } from '../demos/demos.ts'
import { processExists } from '../containment/process-tree.ts'
import { run } from '../machine/command.ts'
import { onPath } from '../demos/needs.ts'
import { demoHostImage } from './image.ts'
import { placement } from './placement.ts'

/** Every demo-host container carries the demo's id under this label... */
export const DEMO_LABEL = 'live-terminal.demo-host'
/** ...and the server that started it, `<machine>/<pid>`, for the sweep. */
export const SERVER_LABEL = 'live-terminal.demo-host.server'
/** What the prompt shows inside, `$(hostname)`: where the demo runs, in one word. */
export const DEMO_HOST_NAME = 'demo-host'

const SERVER_ID = `${os.hostname()}/${process.pid}`

/** What the docker client itself needs from our environment to reach the presenter's engine. */
const CLIENT_ENV = ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY'] as const
/** Paths of this machine that mean nothing inside. */
const HOST_ONLY_ENV = new Set(['KUBECONFIG', 'DOCKER_HOST', 'TMPDIR', 'XDG_RUNTIME_DIR'])
/** The image's own; its one locale is C.UTF-8 (the presenter's ko_KR.UTF-8 is not in it). */
const INSIDE_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', USER: 'root', LOGNAME: 'root', LANG: 'C.UTF-8' }

/** Linux's capabilities by bit number (capability.h), as Docker names them. */
const CAPS = ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE']

/** The capabilities this machine's bounding set lacks (a sandbox, a hardened VM): none elsewhere. */
function missingCaps(): string[] {
  try {
    const bnd = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`)
    return CAPS.filter((_, bit) => !((bnd >> BigInt(bit)) & 1n))
  }
  catch {
    return []
  }
}

/**
 * `--privileged`, or, on an engine whose host lacks a capability (runc then fails with "unable
 * to apply caps"), the same container without that one: every other capability, no seccomp,
 * AppArmor or masked /proc paths, every device; its /sys and cgroups are remounted writable by
 * its init (the lifeline below), as --privileged mounts them.
 */
const PRIVILEGED = ['--privileged']
const allCapsBut = (missing: string[]) => [
  '--cap-add', 'ALL', ...missing.flatMap(c => ['--cap-drop', c]),
  '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--security-opt', 'systempaths=unconfined',
  '--device-cgroup-rule', 'a *:* rwm',
]
/** Which of the two this engine takes, once known. */
let privilege: string[] | undefined

/** The container's init runs this: writable /sys and cgroups, then the lifeline (`cat` on our pipe). */
const LIFELINE = 'mount -o remount,rw /sys 2>/dev/null; for m in $(awk \'$3 == "cgroup" || $3 == "cgroup2" { print $2 }\' /proc/self/mounts); do mount -o remount,bind,rw "$m" 2>/dev/null; done; echo ready; exec cat >/dev/null'

export type Started = { ok: true } | { ok: false, error: string }

export interface InsideCommand { argv: string[], cwd: string, env: Record<string, string>, tty: boolean }

export class DemoHost {
  private readonly docker = onPath('docker')
  /** The running container's name, once `start` has made it; a launch still under way. */
  private current: string | undefined
  private starting: Promise<Started> | undefined
  private lifeline: ChildProcess | undefined

  /** `mount`: the demos' folder (a demo's scripts use its neighbours: ../_container). */
  constructor(readonly demoId: string, private readonly mount: string) {}

  /** Whether a container runs: between `start` and `end`. */
  get running(): boolean {
    return this.current !== undefined
  }

  /** Starts a container unless one runs (calls while one starts share it). */
  start(): Promise<Started> {
    if (this.current)
      return Promise.resolve({ ok: true })
    this.starting ??= this.launch().finally(() => {
      this.starting = undefined
    })
    return this.starting
  }

  /** What to spawn on this machine to run `cmd` inside (after `start`; the caller wraps it in its containment). */
  command(cmd: InsideCommand): { argv: string[], env: Record<string, string> } {
    const inside = Object.entries({ ...cmd.env, ...INSIDE_ENV }).filter(([k]) => !HOST_ONLY_ENV.has(k))
    return {
      argv: [this.docker ?? 'docker', 'exec', ...(cmd.tty ? ['-it'] : []), '-w', cmd.cwd, ...inside.flatMap(([k, v]) => ['-e', `${k}=${v}`]), this.current ?? 'not-started', ...cmd.argv],
      env: clientEnv(),
    }
  }

  /**
   * Removes the container, and with it every process, mount and cgroup the demo made in it (its
   * PID namespace dies with its init); resolves when it and its client are gone.
   */
  async end(): Promise<void> {
    await this.starting
    const [name, lifeline] = [this.current, this.lifeline]
    this.current = undefined
    this.lifeline = undefined
    if (!name)
      return
    await run(this.docker!, ['rm', '-f', name], 30_000)
    if (lifeline && lifeline.exitCode === null && lifeline.signalCode === null) {
      const gone = new Promise(resolve => lifeline.once('exit', resolve))
      lifeline.stdin?.end()
      await Promise.race([gone, new Promise(resolve => setTimeout(resolve, 5000).unref())])
    }
  }

  /** The same, synchronously: the process is exiting. */
  endNow(): void {
    const name = this.current
    this.current = undefined
    if (name && this.docker)
      spawnSync(this.docker, ['rm', '-f', name], { stdio: 'ignore', timeout: 15_000, env: clientEnv() })
  }

  private async launch(): Promise<Started> {
    if (!this.docker)
      return { ok: false, error: 'the demo host needs docker, which is not on PATH' }
    const image = await demoHostImage()
    if (!image.ok)
      return image
    const first = await this.run(image.image, privilege ?? PRIVILEGED)
    if (first.ok || privilege || !/unable to apply caps/.test(first.error))
      return first
    const again = await this.run(image.image, allCapsBut(missingCaps()))
    if (again.ok)
      privilege = allCapsBut(missingCaps())
    return again
  }

  private async run(image: string, privileged: string[]): Promise<Started> {
    const docker = this.docker!
    const name = `live-terminal-demo-host-${this.demoId}-${randomBytes(3).toString('hex')}`
    const args = [
      'run', '-i', '--rm', '--init', ...privileged, '--sig-proxy=false',
      '--name', name, '--label', `${DEMO_LABEL}=${this.demoId}`, '--label', `${SERVER_LABEL}=${SERVER_ID}`,
      '--hostname', DEMO_HOST_NAME,
      // The demos need no network of the engine's (each makes its own namespace) and log nothing.
      '--network', 'none', '--log-driver', 'none',
      // The root filesystem is an overlay, which overlayfs refuses as an upper layer (and the
      // rootfs the demos build must hold devices and run programs): their work dir is a tmpfs.
      '--tmpfs', '/var/tmp:rw,exec,dev,suid,mode=1777',
      '-v', `${this.mount}:${this.mount}:ro`,
      image,
      // The lifeline: init (docker's tini) runs a `cat` on our pipe, and stops when it ends.
      '/bin/sh', '-c', LIFELINE,
    ]
    // detached: the presenter's Ctrl-C reaches the server, which ends the container in order.
    const child = spawn(docker, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: clientEnv() })
    let err = ''
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-4096)
    })
    const started = await new Promise<Started>((resolve) => {
      let out = ''
      const timer = setTimeout(() => resolve({ ok: false, error: `the demo host ${name} did not start within 60 s: ${err.trim()}` }), 60_000)
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString()
        if (/^ready$/m.test(out)) {
          clearTimeout(timer)
          resolve({ ok: true })
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        resolve({ ok: false, error: `the demo host did not start (docker run exit ${code}): ${err.trim().split('\n').slice(-3).join('\n')}` })
      })
      child.once('error', (e) => {
        clearTimeout(timer)
        resolve({ ok: false, error: `the demo host did not start: ${e.message}` })
      })
    })
    // The lifeline never keeps this process alive: its end is what the lifeline is for.
    child.unref()
    for (const s of [child.stdin, child.stdout, child.stderr])
      (s as unknown as { unref?: () => void }).unref?.()
    if (!started.ok) {
      spawnSync(docker, ['rm', '-f', name], { stdio: 'ignore', timeout: 15_000, env: clientEnv() })
      return started
    }
    this.current = name
    this.lifeline = child
    return started
  }
}

function clientEnv(): Record<string, string> {
  return Object.fromEntries(CLIENT_ENV.flatMap(k => process.env[k] ? [[k, process.env[k]]] : []))
}

/** A session's demo host, when the rule puts the demo in one. */
export function demoHostFor(demo: Demo): DemoHost | undefined {
  return placement(demo).where === 'container' ? new DemoHost(demo.id, path.dirname(demo.dir)) : undefined
}

/** Names of the demo-host containers of one demo (any server's), for rehearsal's leftover check. */
export async function demoHostContainers(demoId: string): Promise<Set<string>> {
  const r = await run('docker', ['ps', '-a', '--filter', `label=${DEMO_LABEL}=${demoId}`, '--format', '{{.Names}}'])
  return new Set(r.ok ? r.stdout.split('\n').filter(Boolean) : [])
}

/**
 * At a server's start: removes the demo hosts that servers of this machine, now gone, left
 * behind (their lifeline should have ended them; not when the engine was away). Another
 * running deck's are left alone, and so are other machines' on a shared engine.
 */
export async function endStaleDemoHosts(log: (line: string) => void): Promise<void> {
  if (!onPath('docker'))
    return
  const r = await run('docker', ['ps', '-a', '--filter', `label=${SERVER_LABEL}`, '--format', `{{.Names}} {{.Label "${SERVER_LABEL}"}}`])
  if (!r.ok)
    return // no engine: nothing of ours can be running on it
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [name = '', owner = ''] = line.split(' ')
    const [machine, pid] = [owner.slice(0, owner.lastIndexOf('/')), Number(owner.slice(owner.lastIndexOf('/') + 1))]
    if (machine !== os.hostname() || !Number.isInteger(pid) || processExists(pid))
      continue
    const rm = await run('docker', ['rm', '-f', name], 30_000)
    log(rm.ok ? `removed the demo host ${name} left by an earlier server (pid ${pid}, now gone)` : `could not remove the stale demo host ${name}: ${rm.stderr.trim()}`)
  }
}
