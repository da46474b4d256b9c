/**
 * The recording when the live demo cannot run, and `R`. A demo that fails (here or while being
 * prepared ahead) shows its rehearsed run at the step the talk is at. `R` resets the demo: live,
 * the session's reset; in the recording view, back to live with a reset, or, when that cannot
 * be, the recording stays and the status says why (no terminal server, live terminals off, what
 * the demo lacks on this machine).
 */
import type { Ref } from 'vue'
import type { ClientMessage } from '../common/protocol.ts'
import type { LinkStatus } from './connection.ts'
import type { StateMessage } from '../common/protocol.ts'
import type { View } from './use-terminal-view.ts'
import { onScopeDispose, ref, watch } from 'vue'
import { statusText } from './labels.ts'
import { setupStates } from './prepare-ahead.ts'

/** How long the reason stays in the status. */
const NOTICE_MS = 8000
/** A server that has not let the window join and confirmed the reset by then is treated as silent. */
const JOIN_MS = 15_000

/**
 * Where a reset asked for in the recording view stands: waiting to join the session, for the
 * server to confirm the reset (states before it are the old shell's), for the new shell.
 */
type Retry = 'joining' | 'resetting' | 'starting'

export function useLiveFallback(demo: string, view: Ref<View>, showRecording: Ref<boolean>, session: {
  status: Ref<LinkStatus>
  state: Ref<StateMessage | undefined>
  send: (m: ClientMessage) => void
}) {
  /** Why the live demo could not run (what is missing, or its setup's error): the presenter's only. */
  const failure = ref<{ missing: string, detail: string }>()
  /** Why `R` could not bring the demo back live, for a while after it tried. */
  const notice = ref<string>()
  let retry: Retry | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  function giveUp(why: string) {
    retry = undefined
    clearTimeout(timer)
    showRecording.value = true
    notice.value = statusText.cannotGoLive(why)
    timer = setTimeout(() => (notice.value = undefined), NOTICE_MS)
  }

  watch([session.state, () => setupStates.get(demo)], ([s, prepared]) => {
    if (retry === 'starting' && s?.phase === 'running')
      retry = undefined
    if (retry === 'resetting')
      return
    // Joining, only the page's own word counts (live terminals off); joined, the window's session;
    // before it joins, the prepare-ahead window's.
    const latest = retry === 'joining' || s ? s : prepared
    if (latest?.phase !== 'failed')
      return
    const missing = latest.unmet?.join(', ') ?? ''
    failure.value = { missing, detail: latest.detail ?? '' }
    if (retry)
      giveUp(missing ? statusText.missing(missing) : statusText.failed)
    else
      showRecording.value = true
  }, { immediate: true })

  watch(session.status, (s) => {
    if (!retry)
      return
    if (s === 'live' && retry === 'joining') {
      retry = 'resetting'
      session.send({ type: 'reset' })
    }
    else if (s === 'offline' || s === 'refused' || s === 'silent') {
      giveUp(statusText[s])
    }
  })
  onScopeDispose(() => clearTimeout(timer))

  return {
    failure,
    notice,
    /** `R`. */
    reset() {
      if (view.value === 'live')
        return session.send({ type: 'reset' })
      if (!__SLIDEV_HAS_SERVER__)
        return giveUp(statusText.offline)
      clearTimeout(timer)
      notice.value = undefined
      retry = 'joining'
      timer = setTimeout(() => giveUp(statusText.silent), JOIN_MS)
      showRecording.value = false
    },
    /** The server has reset the session: from now on its states are the new shell's. */
    resetDone() {
      if (retry !== 'resetting')
        return
      clearTimeout(timer)
      retry = 'starting'
    },
  }
}
