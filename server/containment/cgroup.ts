/**
 * Session cgroups: every process a session starts (shell, setup.sh, reset.sh and all their
 * children) runs in one cgroup of its own, which nothing inside can leave by setsid, by
 * clearing its environment or by being re-parented. Ending the session ends the cgroup:
 * `cgroup.kill` on cgroup v2 (kernel 5.14+), freeze-then-SIGKILL with the v1 freezer.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { CheckResult } from '../machine/check-result.ts'
import type { Mount } from './mounts.ts'
import { mounts } from './mounts.ts'
import { readProc } from './process-tree.ts'

export type CgroupMode =
  | { kind: 'v2' | 'v1-freezer', parent: string }
  | { kind: 'none', why: string }

/** This process's cgroup directory in a hierarchy: `0::/x` for v2, `N:…freezer…:/x` for v1. */
function ownDir(mount: Mount, line: (l: string[]) => boolean): string | undefined {
  const entry = readFileSync('/proc/self/cgroup', 'utf8').split('\n').map(l => l.split(':')).find(l => l.length >= 3 && line(l))
  if (!entry)
    return undefined
  let rel = entry.slice(2).join(':')
  if (mount.root !== '/' && rel.startsWith(mount.root))
    rel = rel.slice(mount.root.length)
  return path.join(mount.point, rel)
}

/**
 * Can a group under `dir` hold processes and end them by `control` (a file it must have)? Tried
 * for real with a short-lived shell.
 */
function usable(dir: string, control: string): string | undefined {
  const probe = path.join(dir, `live-terminal-probe.${process.pid}`)
  try {
    mkdirSync(probe, { recursive: true })
    if (!existsSync(path.join(probe, control)))
      return `a new group has no ${control}`
    const r = spawnSync('/bin/sh', ['-c', 'echo $$ > "$0/cgroup.procs"', probe], { stdio: 'ignore' })
    return r.status === 0 ? undefined : `cannot move a process into ${probe}`
  }
  catch (err) {
    return `cannot create a cgroup under ${dir} (${(err as NodeJS.ErrnoException).code ?? err})`
  }
  finally {
    try {
      rmdirSync(probe)
    }
    catch {}
  }
}

/** `only` limits the search to one kind (tests run the v1 path on a machine that has both). */
function detect(only?: string): CgroupMode {
  let all: Mount[]
  try {
    all = mounts()
  }
  catch {
    return { kind: 'none', why: 'no /proc/self/mountinfo' }
  }
  const why: string[] = []
  const v2 = all.find(m => m.fstype === 'cgroup2')
  const v2dir = v2 && ownDir(v2, l => l[0] === '0' && l[1] === '')
  if (only === 'v1') {
    why.push('v2 not tried (LT_CGROUP=v1)')
  }
  else if (v2dir) {
    const bad = usable(v2dir, 'cgroup.kill')
    if (!bad)
      return { kind: 'v2', parent: path.join(v2dir, `live-terminal.${process.pid}`) }
    why.push(`v2: ${bad}`)
  }
  else {
    why.push('no cgroup v2 mount')
  }
  const v1 = all.find(m => m.fstype === 'cgroup' && m.options.includes('freezer'))
  const v1dir = v1 && ownDir(v1, l => l[1]!.split(',').includes('freezer'))
  if (v1dir) {
    const bad = usable(v1dir, 'freezer.state')
    if (!bad)
      return { kind: 'v1-freezer', parent: path.join(v1dir, `live-terminal.${process.pid}`) }
    why.push(`v1 freezer: ${bad}`)
  }
  else {
    why.push('no v1 freezer mount')
  }
  return { kind: 'none', why: why.join('; ') }
}

/**
 * The groups of servers that died without cleaning up (SIGKILL, a crash): whatever still runs in
 * them (a daemon that escaped its shell) is killed and said so, then the groups are removed. A
 * group whose server still runs (another deck on this machine) is left alone.
 */
function endStale(kind: 'v2' | 'v1-freezer', dir: string, log: (line: string) => void): void {
  for (const name of readdirSync(dir)) {
    const owner = /^live-terminal\.(\d+)$/.exec(name)?.[1]
    if (!owner || existsSync(`/proc/${owner}`))
      continue
    const parent = path.join(dir, name)
    for (const group of readdirSync(parent, { withFileTypes: true }).filter(e => e.isDirectory())) {
      const cg = new SessionCgroup(kind, path.join(parent, group.name))
      const left = cg.pids()
      if (left.length > 0) {
        const names = left.map(pid => `${readProc(pid)?.comm ?? '?'} (${pid})`)
        for (let i = 0; i < 100 && cg.pids().length > 0; i++) {
          cg.killNow()
          syncSleep(10)
        }
        log(`killed ${left.length} process(es) left running by an earlier server (pid ${owner}, now gone) in ${name}/${group.name}: ${names.join(', ')}`)
      }
      if (!cg.remove())
        log(`could not remove the stale cgroup ${cg.dir}: ${cg.pids().length} process(es) still inside`)
    }
    try {
      rmdirSync(parent)
    }
    catch {} // a group above could not be removed: said so
  }
}

/** At a server's start: ends what earlier servers on this machine left in their groups (see endStale). */
export function endStaleGroups(log: (line: string) => void): void {
  const m = cgroupMode()
  if (m.kind !== 'none')
    endStale(m.kind, path.dirname(m.parent), log)
}

let mode: CgroupMode | undefined
/** How this machine contains sessions, probed once per process (LT_CGROUP=none turns it off, =v1 skips v2). */
export function cgroupMode(): CgroupMode {
  const only = process.env.LT_CGROUP
  mode ??= only === 'none' ? { kind: 'none', why: 'turned off by LT_CGROUP=none' } : detect(only)
  return mode
}

/** doctor's line: how a demo's processes are ended on this machine. */
export function cleanupCheck(): CheckResult {
  const m = cgroupMode()
  if (m.kind !== 'none')
    return { ok: true, detail: `each session in its own cgroup, ended by ${m.kind === 'v2' ? 'cgroup.kill (v2)' : 'freezing it (v1 freezer)'}` }
  return {
    ok: false,
    detail: `no writable cgroup (${m.why}): processes that leave the shell's session and environment (env -i setsid …) can outlive a demo`,
    fix: 'run the deck as root on a Linux with cgroup v2 (kernel 5.14+) or the v1 freezer mounted',
  }
}

const syncSleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/** One session's cgroup: made by `create`, removed by `remove()` once empty. */
export class SessionCgroup {
  constructor(readonly kind: 'v2' | 'v1-freezer', readonly dir: string) {}

  /** A new group under `parent`, named after `name`. */
  static create(kind: 'v2' | 'v1-freezer', parent: string, name: string): SessionCgroup {
    const dir = path.join(parent, `${name}-${randomBytes(4).toString('hex')}`)
    mkdirSync(dir, { recursive: true })
    return new SessionCgroup(kind, dir)
  }

  /** argv that first moves itself into this cgroup, then becomes `argv` (exec: same pid). */
  wrap(argv: string[]): string[] {
    return ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" || exit 125; exec "$@"', this.dir, ...argv]
  }

  /** Every process in the cgroup and the groups below it. */
  pids(): number[] {
    const out: number[] = []
    for (const dir of this.dirs()) {
      try {
        out.push(...readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number))
      }
      catch {} // removed meanwhile
    }
    return out
  }

  /** SIGKILL everything inside, synchronously: usable in a process 'exit' handler. */
  killNow(): void {
    if (this.kind === 'v2') {
      try {
        writeFileSync(path.join(this.dir, 'cgroup.kill'), '1')
      }
      catch {} // gone already
      return
    }
    // v1: frozen processes cannot fork while we kill them; SIGKILL takes effect on thaw.
    const state = path.join(this.dir, 'freezer.state')
    try {
      writeFileSync(state, 'FROZEN')
      for (let i = 0; i < 50 && readFileSync(state, 'utf8').trim() !== 'FROZEN'; i++)
        syncSleep(2)
      for (const pid of this.pids()) {
        try {
          process.kill(pid, 'SIGKILL')
        }
        catch {}
      }
      writeFileSync(state, 'THAWED')
    }
    catch {}
  }

  /** Removes the (empty) cgroup, children first; false while something is still inside. */
  remove(): boolean {
    try {
      for (const dir of this.dirs().reverse())
        rmdirSync(dir)
      return true
    }
    catch {
      return !existsSync(this.dir)
    }
  }

  /** This cgroup and every group below it, parents first. */
  private dirs(): string[] {
    const out = [this.dir]
    for (let i = 0; i < out.length; i++) {
      try {
        for (const e of readdirSync(out[i]!, { withFileTypes: true })) {
          if (e.isDirectory())
            out.push(path.join(out[i]!, e.name))
        }
      }
      catch {}
    }
    return out
  }
}

/** Removes this process's parent group when its last session group is gone (best effort). */
export function removeParent(): void {
  const m = cgroupMode()
  if (m.kind !== 'none') {
    try {
      rmdirSync(m.parent)
    }
    catch {}
  }
}
