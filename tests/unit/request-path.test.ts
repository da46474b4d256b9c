import { describe, expect, it } from 'vitest'
import { projectRelative, requestPath } from '../../server/bridge/request-path.ts'
import { spellings } from '../helpers/path-spellings.ts'

const path = (target: string) => {
  const r = requestPath(target)
  return r.ok ? r.path : `refused: ${r.reason}`
}

describe('the one path rule', () => {
  it.each(['/__open-in-editor', '/__mcp', '/server/bridge/bridge.ts', '/__live-terminal/token'])('reads every spelling of %s as one path (or a suffix of it)', (p) => {
    for (const s of spellings(p, 3030, '?file=/etc/shadow'))
      expect(path(s).startsWith(p), s).toBe(true)
  })

  it('drops the query and fragment, resolves dot segments, keeps the root', () => {
    expect(path('/a/b/../c?x=/../..#y')).toBe('/a/c')
    expect(path('/../../etc/passwd')).toBe('/etc/passwd')
    expect(path('/')).toBe('/')
    expect(path('http://localhost:1')).toBe('/')
  })

  it('refuses what it cannot normalize, saying why', () => {
    expect(path('/a%zz')).toMatch(/refused: malformed percent-encoding/)
    expect(path('/a%00b')).toMatch(/refused: NUL/)
    expect(path('/%2525252e')).toMatch(/refused: .*three times/)
    expect(path('*')).toMatch(/refused: .*not a path/)
    expect(path('http://[::1')).toMatch(/refused: .*not a valid URL/)
  })

  it('finds the project file behind a /@fs/ path, and nothing outside the root', () => {
    expect(projectRelative('/@fs/work/deck/server/bridge/bridge.ts', '/work/Deck')).toBe('/server/bridge/bridge.ts')
    expect(projectRelative('/server/bridge/bridge.ts', '/work/deck')).toBe('/server/bridge/bridge.ts')
    expect(projectRelative('/@fs/work/deck2/server/x.ts', '/work/deck')).toBeUndefined()
    expect(projectRelative('/@fs/etc/passwd', '/work/deck')).toBeUndefined()
  })
})
