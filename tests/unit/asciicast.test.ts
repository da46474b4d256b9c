/** Recordings are read through one schema: a bad file is refused naming the line and the field. */
import { describe, expect, it } from 'vitest'
import { CastWriter, markedStep, parseCast, stepMarker } from '../../common/asciicast.ts'
import { castOutput } from '../e2e/recorded-screen.ts'

describe('parseCast', () => {
  it('reads what CastWriter writes, a split UTF-8 character whole', () => {
    const w = new CastWriter({ width: 90, height: 20, title: '셸' }, 0)
    const bytes = new TextEncoder().encode('안녕\r\n')
    w.output(bytes.subarray(0, 4), 100)
    w.marker('step 1', 150)
    w.output(bytes.subarray(4), 200)
    const cast = parseCast(w.toString())
    expect(cast.header).toMatchObject({ version: 2, width: 90, height: 20, title: '셸' })
    expect(cast.events.map(e => e[1])).toEqual(['o', 'm', 'o'])
    expect(castOutput(cast)).toBe('안녕\r\n')
  })

  it('keeps a header with other v2 fields', () => {
    expect(parseCast('{"version":2,"width":80,"height":24,"idle_time_limit":2}\n[0.5,"o","x"]\n').events).toEqual([[0.5, 'o', 'x']])
  })

  it.each([
    ['an empty file', '', /demo.cast: empty recording/],
    ['a header of another version', '{"version":1,"width":80,"height":24}', /demo.cast line 1: version/],
    ['a header without a width', '{"version":2,"height":24}', /demo.cast line 1: width/],
    ['a header that is not JSON', 'asciinema', /demo.cast line 1: not JSON/],
    ['an event with an unknown code', '{"version":2,"width":80,"height":24}\n[0,"x","a"]', /demo.cast line 2: 1 /],
    ['an event without data', '{"version":2,"width":80,"height":24}\n[0,"o","a"]\n[1,"o"]', /demo.cast line 3:/],
    ['an event with a negative time', '{"version":2,"width":80,"height":24}\n[-1,"o","a"]', /demo.cast line 2: 0 /],
  ])('refuses %s, naming the file and the line', (_what, text, error) => {
    expect(() => parseCast(text, 'demo.cast')).toThrow(error)
  })
})

describe('step markers', () => {
  it('rehearse\'s marker for step N reads back as N; any other marker labels no step', () => {
    expect(markedStep(stepMarker(3))).toBe(3)
    expect(markedStep(stepMarker(12))).toBe(12)
    for (const other of ['step 0', 'step', 'step 2 again', 'note', ' step 1'])
      expect(markedStep(other), other).toBeUndefined()
  })
})
