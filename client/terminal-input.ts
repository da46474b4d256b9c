/**
 * What an xterm.js terminal sends, told apart: keystrokes, pastes and mouse reports (the user's)
 * from the terminal's own replies to a program's queries (DA, DSR, DECRQSS, OSC colours; focus
 * reports too). xterm.js 6 emits both through `onData`; only its CoreService knows which: it
 * fires `onUserInput` synchronously just before the `onData` of the user's input, never before
 * a reply (`triggerDataEvent(data, wasUserInput)`). The public API has no such flag.
 */
import type { IDisposable, Terminal } from '@xterm/xterm'

interface CoreService { onUserInput?: (listener: () => void) => IDisposable }

function coreService(term: Terminal): CoreService | undefined {
  return (term as unknown as { _core?: { coreService?: CoreService } })._core?.coreService
}

/** Calls `listener` with each piece of data the terminal sends, and whether the terminal itself answered with it. */
export function onTerminalData(term: Terminal, listener: (data: string, reply: boolean) => void): IDisposable {
  const core = coreService(term)
  if (typeof core?.onUserInput !== 'function') {
    // An xterm.js whose internals moved: everything counts as typed, as before this module
    // (tests/e2e/query-replies.spec.ts fails then).
    console.warn('[live-terminal] xterm.js has no CoreService.onUserInput: terminal replies cannot be told from keystrokes')
    return term.onData(data => listener(data, false))
  }
  let typed = false
  const user = core.onUserInput(() => (typed = true))
  const data = term.onData((d) => {
    const reply = !typed
    typed = false
    listener(d, reply)
  })
  return { dispose: () => [user, data].forEach(x => x.dispose()) }
}
