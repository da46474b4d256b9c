// The Chromium resolver on fake file systems: the order it looks in, and the one line it says
// when there is none.
import { describe, expect, it } from 'vitest'
import { CHROMIUM_HELP, findChromium } from '../../server/doctor/chromium.ts'

const fs = (files: string[], dirs: Record<string, string[]> = {}) => ({
  exists: (p: string) => files.includes(p),
  list: (d: string) => dirs[d] ?? [],
  home: '/home/p',
})

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, even over a system Chromium', () => {
    const r = findChromium({ env: { CHROMIUM_PATH: '/opt/c/chrome' }, ...fs(['/opt/c/chrome', '/usr/bin/chromium']) })
    expect(r).toEqual({ ok: true, path: '/opt/c/chrome', source: 'CHROMIUM_PATH' })
  })

  it('says so when CHROMIUM_PATH names nothing, instead of falling back silently', () => {
    const r = findChromium({ env: { CHROMIUM_PATH: '/nope' }, ...fs(['/usr/bin/chromium']) })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toContain('CHROMIUM_PATH is /nope, which does not exist')
  })

  it('finds the distributions\' packages: Debian, then Ubuntu/Fedora, then Chrome', () => {
    expect(findChromium({ env: {}, ...fs(['/usr/bin/chromium-browser', '/usr/bin/google-chrome']) })).toMatchObject({ ok: true, path: '/usr/bin/chromium-browser' })
    expect(findChromium({ env: {}, ...fs(['/usr/bin/google-chrome']) })).toMatchObject({ ok: true, path: '/usr/bin/google-chrome' })
  })

  it('falls back to Playwright\'s own browser cache, newest build first', () => {
    const cache = '/home/p/.cache/ms-playwright'
    const files = [`${cache}/chromium-1100/chrome-linux/chrome`, `${cache}/chromium-1200/chrome-linux64/chrome`]
    const r = findChromium({ env: {}, ...fs(files, { [cache]: ['chromium-1100', 'ffmpeg-1010', 'chromium-1200'] }) })
    expect(r).toEqual({ ok: true, path: `${cache}/chromium-1200/chrome-linux64/chrome`, source: 'Playwright cache' })
  })

  it('honours PLAYWRIGHT_BROWSERS_PATH', () => {
    const r = findChromium({ env: { PLAYWRIGHT_BROWSERS_PATH: '/pw' }, ...fs(['/pw/chromium-7/chrome-linux/chrome'], { '/pw': ['chromium-7'] }) })
    expect(r).toMatchObject({ ok: true, path: '/pw/chromium-7/chrome-linux/chrome' })
  })

  it('without any, says where it looked and how to get one, in one line', () => {
    const r = findChromium({ env: {}, ...fs([]) })
    expect(r.ok).toBe(false)
    const error = !r.ok ? r.error : ''
    expect(error).not.toContain('\n')
    expect(error).toContain('/home/p/.cache/ms-playwright')
    expect(error).toContain(CHROMIUM_HELP)
    expect(CHROMIUM_HELP).toContain('apt-get install chromium')
  })
})
