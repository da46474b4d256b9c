import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { mounts } from '../../server/containment/mounts.ts'

describe('the mount table', () => {
  it('reads the root mount and its file system type', () => {
    expect(mounts().some(m => m.point === '/' && m.fstype.length > 0)).toBe(true)
  })

  // A demo's folder may have a space in its path (a presenter's "My Talks"): the kernel writes it as \040.
  it.skipIf(process.getuid?.() !== 0)('gives a mount point with a space and a backslash as the path it is', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'mounts-')), 'a b\\c')
    execFileSync('mkdir', ['-p', dir])
    execFileSync('mount', ['-t', 'tmpfs', 'none', dir])
    try {
      expect(mounts().filter(m => m.point === dir).map(m => m.fstype)).toEqual(['tmpfs'])
    }
    finally {
      execFileSync('umount', [dir])
      rmSync(path.dirname(dir), { recursive: true })
    }
  })
})
