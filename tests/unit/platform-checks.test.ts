// doctor's platform rules: the engines range and Vite's patched lines.
import { describe, expect, it } from 'vitest'
import { satisfiesEngine, viteLine } from '../../server/doctor/platform-checks.ts'

describe('platform checks', () => {
  it('reads the engines range the way npm does for >=', () => {
    expect(satisfiesEngine('>=22.12', 'v24.1.0')).toBe(true)
    expect(satisfiesEngine('>=22.12', 'v22.12.0')).toBe(true)
    expect(satisfiesEngine('>=22.12', 'v22.11.9')).toBe(false)
    expect(satisfiesEngine('>=22.12', 'v20.20.2')).toBe(false)
  })

  it('flags a Vite before its line\'s dev-server fixes, and lines without fixes', () => {
    expect(viteLine('8.4.0').ok).toBe(true)
    expect(viteLine('8.0.16').ok).toBe(true)
    expect(viteLine('8.0.15')).toMatchObject({ ok: false, detail: expect.stringContaining('before 8.0.16') })
    expect(viteLine('7.3.1').ok).toBe(false)
    expect(viteLine('5.4.21')).toMatchObject({ ok: false, detail: expect.stringContaining('without security fixes') })
  })
})
