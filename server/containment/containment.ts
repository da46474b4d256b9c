/**
 * Everything one session starts, and ending all of it. With a usable cgroup (see cgroup.ts)
 * the session's processes are exactly its cgroup's; without one, the older method: each shell
 * or script leads its own process session, tagged through the environment (process-tree.ts),
 * which `env -i setsid …` and the like escape. A root demo in the demo host (server/demo-host/)
 * also has a container: ending the session's processes removes it, with all that runs in it.
 */
import type { SessionCgroup } from './cgroup.ts'
import type { DemoHost, Started } from '../demo-host/container.ts'
import { randomBytes } from 'node:crypto'
import { pollUntil } from '../../common/wait.ts'
import { cgroupMode, removeParent, SessionCgroup as Cgroup } from './cgroup.ts'
import { escalate, signalAll } from './escalation.ts'
import { killSession, processExists, readProc, sessionProcesses } from './process-tree.ts'

/** Environment variable that marks every process of a session without a cgroup (see process-tree.ts). */
export const TAG_NAME = 'LIVE_TERMINAL_SESSION'

/** A process this server started (node-pty's child) that is alive: never a reused pid of someone else's. */
function ourLiveChild(pid: number): boolean {
  const p = readProc(pid)
  return p !== undefined && p.ppid === process.pid && p.state !== 'Z'
}

export class Containment {
  private readonly tagValue = randomBytes(12).toString('hex')
  /** Pids started by `wrap`ed commands, for the fallback (each leads its own process session). */
  private readonly leaders = new Set<number>()
  private ending: Promise<void> | undefined

  private constructor(private readonly cgroup: SessionCgroup | undefined, private readonly host: DemoHost | undefined) {}

  /** A new, empty containment named after `name` (a demo id); `host`: the demo host its commands run in. */
  static create(name: string, host?: DemoHost): Containment {
    const m = cgroupMode()
    return new Containment(m.kind === 'none' ? undefined : Cgroup.create(m.kind, m.parent, name), host)
  }

  /** Resolves once commands can run: at once on this machine, once the demo host's container runs. */
  ready(): Promise<Started> {
    return this.host ? this.host.start() : Promise.resolve({ ok: true })
  }

  /** The demo runs in a demo host that is not running: all it made went with its container. */
  get hostGone(): boolean {
    return this.host !== undefined && !this.host.running
  }

  /** The environment entry every process of this containment inherits. */
  get env(): Record<string, string> {
    return { [TAG_NAME]: this.tagValue }
  }

  /**
   * What to spawn for `argv` with `cwd` and `env`: here, or through the demo host (after
   * `ready()`); either way its client on this machine starts inside the containment.
   */
  command(argv: string[], cwd: string, env: Record<string, string>, tty: boolean): { file: string, args: string[], cwd: string, env: Record<string, string> } {
    const run = this.host ? this.host.command({ argv, cwd, env, tty }) : { argv, env }
    const [file, ...args] = this.cgroup ? this.cgroup.wrap(run.argv) : run.argv
    return { file: file!, args, cwd, env: { ...run.env, ...this.env } }
  }

  /** Records a process started with `wrap` (it leads a process session of its own). */
  adopt(pid: number | undefined): void {
    if (pid !== undefined)
      this.leaders.add(pid)
  }

  /** Every live process inside. */
  processes(): number[] {
    if (this.cgroup)
      return this.cgroup.pids()
    const tag = `${TAG_NAME}=${this.tagValue}`
    return [...new Set([...this.leaders].flatMap(pid => sessionProcesses(pid, false, tag)))]
  }

  /** SIGKILL everything inside and remove the cgroup, synchronously (process 'exit' handler). */
  killNow(): void {
    this.host?.endNow()
    if (!this.cgroup)
      return signalAll(this.processes(), 'SIGKILL')
    this.cgroup.killNow()
    signalAll([...this.leaders].filter(ourLiveChild), 'SIGKILL')
    for (let i = 0; i < 100 && this.cgroup.pids().length > 0; i++)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
    this.cgroup.remove()
    removeParent()
  }

  /**
   * SIGHUP (what a closed terminal means), then SIGTERM, then SIGKILL to everything inside;
   * resolves once none is left and each has been reaped. Calls while one runs share it.
   */
  end(graceMs = 400): Promise<void> {
    // The clients here first (no new `docker exec` can start), then the demo host.
    this.ending ??= (this.cgroup ? this.endCgroup(this.cgroup, graceMs) : this.endTagged(graceMs))
      .then(() => this.host?.end())
      .catch(() => {}) // nothing to report: each step is best effort and bounded
      .finally(() => {
        this.ending = undefined
      })
    return this.ending
  }

  /** Ends everything, then removes the cgroup; the containment is not used again. */
  async dispose(): Promise<void> {
    await this.end()
    const cg = this.cgroup
    if (!cg)
      return
    // Usually at once; on a loaded machine the kernel may take a while to let go of the dead.
    if (!await pollUntil(() => cg.remove(), 2000, 50))
      void pollUntil(() => cg.remove(), 30_000, 500).then(removeParent).catch(() => {})
    removeParent() // the last session of this server process takes the parent group with it
  }

  private async endCgroup(cg: SessionCgroup, graceMs: number): Promise<void> {
    const seen = new Set<number>()
    // A shell just started may not have moved itself into the cgroup yet (wrap's first command):
    // its pid is known (adopt), so it is ended too, and not left to join an emptied group.
    const alive = () => {
      const pids = [...new Set([...cg.pids(), ...[...this.leaders].filter(ourLiveChild)])]
      pids.forEach(pid => seen.add(pid))
      return pids
    }
    // The last resort is the cgroup's own kill (on v1 a process forking right at the freeze can slip one pass: repeated).
    await escalate(alive, graceMs, (pids) => {
      cg.killNow()
      signalAll(pids, 'SIGKILL')
    })
    this.leaders.clear()
    // Out of the cgroup is not yet out of /proc: wait (bounded) until the parents reaped them.
    await pollUntil(() => [...seen].every(pid => !processExists(pid)), 3000, 50)
  }

  private async endTagged(graceMs: number): Promise<void> {
    const tag = `${TAG_NAME}=${this.tagValue}`
    await Promise.all([...this.leaders].map(pid => killSession(pid, graceMs, tag)))
    this.leaders.clear()
  }
}
