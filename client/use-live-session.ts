/**
 * The live side of a LiveTerminal: while `live` is true, a connection to the demo's shared
 * session; its output goes to the terminal, its state is exposed, and what the terminal sends
 * goes to the shell: keystrokes always, the terminal's replies to queries only from the window
 * the server names the responder (server/session/responder.ts says why). Closed when no longer live.
 */
import type { Ref } from 'vue'
import type { Role, StateMessage } from '../common/protocol.ts'
import type { Connection, LinkProblem, LinkStatus } from './connection.ts'
import type { DeckTerminal } from './terminal.ts'
import { createEventHook } from '@vueuse/core'
import { onScopeDispose, ref, shallowRef, watch } from 'vue'
import { openConnection } from './connection.ts'


export function useLiveSession(demo: string, role: Role, live: Ref<boolean>, on: {
  /** The session told us its grid: the terminal to write to. */
  ready: (cols: number, rows: number) => DeckTerminal
}) {
  /** The shell is being replaced (reset). */
  const reset = createEventHook()
  const status = ref<LinkStatus>('connecting')
  const problem = ref<LinkProblem>()
  /** The server's own words when it closed the link (e.g. its session limit), for the presenter. */
  const serverReason = ref('')
  const state = shallowRef<StateMessage>()
  let terminal: DeckTerminal | undefined
  let connection: Connection | undefined
  /** Whether this window's replies to the program's queries reach the shell. */
  let responder = false
  /** Counts joins, so that a word about an earlier one is not taken for the current one. */
  let joins = 0

  function close() {
    connection?.close()
    connection = undefined
    terminal = undefined
    state.value = undefined
    responder = false
    joins++
  }

  watch(live, (isLive) => {
    close()
    if (!isLive)
      return
    connection = openConnection(demo, role, {
      output: (bytes, rendered) => terminal ? terminal.term.write(bytes, rendered) : rendered(),
      message: (m) => {
        if (m.type === 'ready') {
          responder = false // a new join: the server says again who answers
          joins++
          terminal = on.ready(m.cols, m.rows)
          terminal.term.reset()
        }
        else if (m.type === 'state') {
          state.value = m
        }
        else if (m.type === 'responder') {
          // From the output written before this on: replies to the replayed scrollback's old
          // queries, still being parsed, are not this window's to send.
          const join = joins
          terminal?.term.write('', () => (responder = m.responder && join === joins))
        }
        else if (m.type === 'reset') {
          // In band (RIS), not term.reset(): output written just before (a rejoining window's
          // replay) may still wait in xterm's write queue, and must not be drawn after the clear.
          terminal?.term.write('\x1Bc')
          void reset.trigger()
        }
      },
      status: (s, why, reason) => {
        status.value = s
        problem.value = why
        serverReason.value = reason ?? ''
      },
    })
  }, { immediate: true })
  onScopeDispose(close)

  return {
    onReset: reset.on,
    status,
    problem,
    serverReason,
    state,
    send: (m: Parameters<Connection['send']>[0]) => connection?.send(m),
    /** What the terminal sent: `reply` when the terminal itself answered a query (client/terminal-input.ts). */
    input: (data: string, reply: boolean) => {
      if (!reply || responder)
        connection?.send({ type: 'input', data })
    },
  }
}
