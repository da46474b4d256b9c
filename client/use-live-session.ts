/**
 * The live side of a LiveTerminal: while `live` is true, a connection to the demo's shared
 * session; its output goes to the terminal, its state is exposed. Closed when no longer live.
 */
import type { Ref } from 'vue'
import type { Role, ServerMessage } from '../common/protocol.ts'
import type { Connection, LinkProblem, LinkStatus } from './connection.ts'
import type { DeckTerminal } from './terminal.ts'
import { onScopeDispose, ref, shallowRef, watch } from 'vue'
import { openConnection } from './connection.ts'

export type SessionState = Extract<ServerMessage, { type: 'state' }>

export function useLiveSession(demo: string, role: Role, live: Ref<boolean>, on: {
  /** The session told us its grid: the terminal to write to. */
  ready: (cols: number, rows: number) => DeckTerminal
  /** The shell is being replaced (reset). */
  reset: () => void
}) {
  const status = ref<LinkStatus>('connecting')
  const problem = ref<LinkProblem>()
  /** The server's own words when it closed the link (e.g. its session limit), for the presenter. */
  const serverReason = ref('')
  const state = shallowRef<SessionState>()
  let terminal: DeckTerminal | undefined
  let connection: Connection | undefined

  function close() {
    connection?.close()
    connection = undefined
    terminal = undefined
    state.value = undefined
  }

  watch(live, (isLive) => {
    close()
    if (!isLive)
      return
    connection = openConnection(demo, role, {
      output: (bytes, rendered) => terminal ? terminal.term.write(bytes, rendered) : rendered(),
      message: (m) => {
        if (m.type === 'ready') {
          terminal = on.ready(m.cols, m.rows)
          terminal.term.reset()
        }
        else if (m.type === 'state') {
          state.value = m
        }
        else {
          // In band (RIS), not term.reset(): output written just before (a rejoining window's
          // replay) may still wait in xterm's write queue, and must not be drawn after the clear.
          terminal?.term.write('\x1Bc')
          on.reset()
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
    status,
    problem,
    serverReason,
    state,
    send: (m: Parameters<Connection['send']>[0]) => connection?.send(m),
  }
}
