import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listDemoIds, loadDemo } from '../../server/demos/demos.ts'
import { tempDemos } from '../../dev/decks.ts'
import type { TempDemos } from '../../dev/decks.ts'

let demos: TempDemos
beforeEach(() => {
  demos = tempDemos()
})
afterEach(() => demos.remove())

const valid = `title: 예시
steps:
  - type: echo hi
    expect: '^hi$'
`

describe('demo files', () => {
  it('loads a valid file with defaults filled in', () => {
    demos.add('ok', valid)
    const demo = loadDemo('ok', demos.dir)
    expect(demo).toMatchObject({
      id: 'ok',
      title: '예시',
      needs: [],
      shell: ['bash', '--noprofile', '--norc', '-i'],
      size: { cols: 90, rows: 20 },
      exclusive: false,
      steps: [{ type: 'echo hi', expect: '^hi$', timeout: 30 }],
    })
  })

  it.each([
    ['a missing field', 'steps:\n  - type: ls\n', /title/],
    ['a missing step text', 'title: t\nsteps:\n  - expect: x\n', /steps\[0\]\.type/],
    ['no steps', 'title: t\nsteps: []\n', /steps: expected at least one step/],
    ['a wrong type', 'title: t\nsteps:\n  - type: ls\n    timeout: soon\n', /steps\[0\]\.timeout/],
    ['an unknown need', 'title: t\nneeds: [root, gpu]\nsteps:\n  - type: ls\n', /needs\[1\]/],
    ['a bad regex', 'title: t\nsteps:\n  - type: ls\n    expect: "(unclosed"\n', /steps\[0\]\.expect: expected a valid regular expression/],
    ['a bad prompt regex', 'title: t\nprompt: "[a-"\nsteps:\n  - type: ls\n', /prompt: expected a valid regular expression/],
    ['an unknown field', 'title: t\ncommand: rm -rf /\nsteps:\n  - type: ls\n', /command/],
    ['a size out of range', 'title: t\nsize: { cols: 5000, rows: 20 }\nsteps:\n  - type: ls\n', /size\.cols/],
    ['an absolute setup path', 'title: t\nsetup: /etc/passwd\nsteps:\n  - type: ls\n', /setup: expected a path relative/],
    ['a missing setup script', 'title: t\nsetup: setup.sh\nsteps:\n  - type: ls\n', /setup: file setup\.sh not found/],
    ['a non-boolean exclusive', 'title: t\nexclusive: yes please\nsteps:\n  - type: ls\n', /exclusive: expected true or false/],
    ['invalid YAML', 'title: [unclosed\nsteps:\n', /not valid YAML/],
  ])('refuses %s, naming the file and the field', (_what, yaml, field) => {
    demos.add('bad', yaml)
    let message = ''
    try {
      loadDemo('bad', demos.dir)
    }
    catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/bad[/\\]demo\.yaml/)
    expect(message).toMatch(field)
  })

  it('refuses ids that are not demo folders', () => {
    expect(() => loadDemo('../etc', demos.dir)).toThrow(/not a demo id/)
    expect(() => loadDemo('missing', demos.dir)).toThrow(/no such demo/)
  })

  it('lists demo folders only, not shared helpers', () => {
    demos.add('b-demo', valid)
    demos.add('a-demo', valid)
    demos.add('_shared', valid)
    expect(listDemoIds(demos.dir)).toEqual(['a-demo', 'b-demo'])
  })

  it('every demo shipped in demos/ is valid', () => {
    const ids = listDemoIds()
    expect(ids.length).toBeGreaterThan(0)
    for (const id of ids)
      expect(() => loadDemo(id)).not.toThrow()
  })
})
