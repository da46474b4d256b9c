/**
 * The leftover check looks where the demo can have left something, not at the whole machine:
 * a cgroup or mount that something else makes during a rehearsal (systemd's transient scopes,
 * another program's groups) is not the demo's; one its files name, or one under its folder, is.
 */
import { mkdirSync, rmdirSync } from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDemo } from '../../server/demos/demos.ts'
import { footprint, leftovers } from '../../server/rehearse/footprint.ts'
import { tinyDemos } from '../../dev/decks.ts'

const id = Math.random().toString(36).slice(2, 8)
const named = `lt-named-${id}`
const demos = tinyDemos(['scoped'], { scoped: `title: scoped\nsteps:\n  - type: mkdir /sys/fs/cgroup/memory/${named}\n` })
const made: string[] = []
const mounted: string[] = []

afterAll(() => {
  for (const m of mounted)
    spawnSync('umount', [m])
  for (const d of made.reverse()) {
    try {
      rmdirSync(d)
    }
    catch {}
  }
  demos.remove()
})

function mkdir(dir: string): void {
  mkdirSync(dir, { recursive: true })
  made.push(dir)
}

describe('footprint scope', () => {
  it('counts the cgroup and the mount that are the demo\'s, not the ones something else made meanwhile', async () => {
    const demo = loadDemo('scoped', demos.dir)
    const before = await footprint(demo)
    mkdir(`/sys/fs/cgroup/memory/${named}`)
    mkdir(`/sys/fs/cgroup/memory/lt-other-${id}`) // like container-from-scratch's "process_api/<id>"
    const inDemo = path.join(demo.dir, 'mnt')
    const elsewhere = `/tmp/lt-other-mount-${id}`
    for (const dir of [inDemo, elsewhere]) {
      mkdir(dir)
      expect(spawnSync('mount', ['-t', 'tmpfs', 'lt-scope', dir]).status).toBe(0)
      mounted.push(dir)
    }
    expect(leftovers(before, await footprint(demo)).sort()).toEqual([
      `cgroup /sys/fs/cgroup/memory/${named}`,
      `mount ${inDemo}`,
    ])
  })
})
