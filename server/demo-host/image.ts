/**
 * The demo host's image, built on this machine by demos/_demo-host/build.sh (FROM scratch: the
 * host's busybox-static and the programs below with their libraries; nothing pulled). The script
 * rebuilds only when its sources changed; it is asked once per server process.
 */
import { fileURLToPath } from 'node:url'
import { run } from '../machine/command.ts'

export const DEMO_HOST_IMAGE = 'live-terminal/demo-host:latest'

/**
 * What the root demos run besides busybox: their shell and scripts' bash, every `commands:` entry
 * of a demo that needs root (tests/unit/demo-host.test.ts holds them to this list), and for their
 * reset (demos/_container/cleanup-lib.sh) findmnt and coreutils' readlink (busybox's reads one link).
 */
export const DEMO_HOST_PROGRAMS = ['bash', 'unshare', 'nsenter', 'mount', 'umount', 'pivot_root', 'chroot', 'findmnt', 'ps', 'pgrep', 'readlink'] as const

const BUILD = fileURLToPath(new URL('../../demos/_demo-host/build.sh', import.meta.url))

export type ImageResult = { ok: true, image: string } | { ok: false, error: string }

let built: Promise<ImageResult> | undefined

/** The image, built if its sources changed; a failure is not kept (the next session tries again). */
export function demoHostImage(): Promise<ImageResult> {
  built ??= run('bash', [BUILD, DEMO_HOST_IMAGE, ...DEMO_HOST_PROGRAMS], 300_000).then((r): ImageResult => {
    if (r.ok)
      return { ok: true, image: r.stdout.trim().split('\n').at(-1)! }
    built = undefined
    return { ok: false, error: `building the demo-host image failed: ${r.stderr.trim().split('\n').slice(-4).join('\n')}` }
  })
  return built
}
