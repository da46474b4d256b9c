/** The rehearsal's screen reads what xterm shows, not the bytes that drew it. */
import { afterEach, describe, expect, it } from 'vitest'
import { Screen } from '../../server/session/screen.ts'

const screens: Screen[] = []
afterEach(() => screens.splice(0).forEach(s => s.dispose()))

async function shown(bytes: string, cols = 20, rows = 5): Promise<Screen> {
  const screen = new Screen(cols, rows)
  screens.push(screen)
  screen.write(new TextEncoder().encode(bytes))
  await screen.settled()
  return screen
}

describe('Screen', () => {
  it('shows a line drawn over itself (\\r, \\b) as it finally reads', async () => {
    expect((await shown('10%\r100% done\r\nspin |\b/\b-\bok\r\n')).text()).toBe('100% done\nspin ok')
  })

  it('drops a line erased with cursor movement, as a redrawn progress display does', async () => {
    expect((await shown('Pulling fs layer\r\n\x1B[1A\x1B[2KPull complete\r\n')).text()).toBe('Pull complete')
  })

  it('joins soft-wrapped rows into one line and keeps the prompt\'s trailing space', async () => {
    expect((await shown('abcdefghij0123456789XYZ\r\n$ ', 20)).text()).toBe('abcdefghij0123456789XYZ\n$ ')
  })

  it('reads Korean (double-width) text once, without padding cells', async () => {
    expect((await shown('안녕, 컨테이너\r\n')).text()).toBe('안녕, 컨테이너')
  })

  it('gives what was printed after the marked line, scrollback included', async () => {
    const screen = await shown('old\r\n$ ')
    const marker = screen.markCursorLine()
    screen.write(new TextEncoder().encode(`echo\r\n${Array.from({ length: 8 }, (_, i) => `line ${i}`).join('\r\n')}\r\n$ `))
    await screen.settled()
    expect(screen.textAfter(marker)).toBe(`${Array.from({ length: 8 }, (_, i) => `line ${i}`).join('\n')}\n$ `)
  })
})
