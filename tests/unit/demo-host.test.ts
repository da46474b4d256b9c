/** The rule for where a demo runs (server/demo-host/placement.ts), and what the demo host's image holds. */
import { describe, expect, it } from 'vitest'
import type { Machine } from '../../server/demo-host/placement.ts'
import { listDemoIds, loadDemo } from '../../server/demos/demos.ts'
import { DEMO_HOST_PROGRAMS } from '../../server/demo-host/image.ts'
import { DemoHostSettingError, demoHostSetting, placement } from '../../server/demo-host/placement.ts'

const root = { needs: ['root' as const] }
const linuxRoot: Machine = { setting: 'auto', platform: 'linux', uid: 0 }

describe('DEMO_HOST', () => {
  it('reads auto, host and container; unset or empty is auto; anything else is refused with the choices', () => {
    expect(demoHostSetting({})).toBe('auto')
    expect(demoHostSetting({ DEMO_HOST: '' })).toBe('auto')
    for (const v of ['auto', 'host', 'container'] as const)
      expect(demoHostSetting({ DEMO_HOST: v })).toBe(v)
    expect(() => demoHostSetting({ DEMO_HOST: 'docker' })).toThrow(DemoHostSettingError)
    expect(() => demoHostSetting({ DEMO_HOST: 'Container' })).toThrow(/DEMO_HOST=Container: expected auto, host, container/)
  })

  it('auto: the container when not root or not on Linux, else this machine', () => {
    expect(placement(root, linuxRoot)).toEqual({ where: 'host', why: 'DEMO_HOST=auto: root on Linux' })
    expect(placement(root, { ...linuxRoot, uid: 1000 })).toEqual({ where: 'container', why: 'DEMO_HOST=auto: the deck is not root (uid 1000)' })
    expect(placement(root, { ...linuxRoot, platform: 'darwin', uid: 501 }).where).toBe('container')
    expect(placement(root, { ...linuxRoot, platform: 'darwin', uid: 0 }).why).toMatch(/no Linux kernel here \(darwin\)/)
  })

  it('host and container are obeyed for root demos only; other demos always run here', () => {
    expect(placement(root, { ...linuxRoot, setting: 'container' }).where).toBe('container')
    expect(placement(root, { ...linuxRoot, setting: 'host', uid: 1000 }).where).toBe('host')
    for (const setting of ['auto', 'host', 'container'] as const) {
      expect(placement({ needs: ['docker'] }, { setting, platform: 'darwin', uid: 501 }).where).toBe('host')
      expect(placement({ needs: [] }, { setting, platform: 'linux', uid: 1000 }).where).toBe('host')
    }
    // Nor does a bad DEMO_HOST concern them: it is read only for a demo that needs root.
    process.env.DEMO_HOST = 'vm'
    try {
      expect(placement({ needs: ['docker'] })).toEqual({ where: 'host', why: 'needs no root' })
      expect(() => placement(root)).toThrow(/DEMO_HOST=vm/)
    }
    finally {
      delete process.env.DEMO_HOST
    }
  })

  it('the image holds every command a root demo names', () => {
    const rootDemos = listDemoIds().map(id => loadDemo(id)).filter(d => d.needs.includes('root'))
    expect(rootDemos.map(d => d.id)).toEqual(expect.arrayContaining(['container-from-scratch', 'same-kernel']))
    for (const demo of rootDemos)
      expect(DEMO_HOST_PROGRAMS, demo.id).toEqual(expect.arrayContaining(demo.commands))
  })
})
