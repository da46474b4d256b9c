/**
 * A demo slide's clicks are its steps. The terminal claims one click per step on its slide, so
 * Slidev's "next" (→, Space, PageDown, the presenter's click bar) walks through them and, after
 * the last, goes to the next slide. While live, a click beyond the steps the shell has had asks
 * the session for the next one, one at a time: a click during a running step waits for it.
 * "Previous" only moves the highlight back; nothing is un-typed.
 */
import type { Ref } from 'vue'
import type { StateMessage } from '../common/protocol.ts'
import { useSlideContext } from '@slidev/client'
import { computed, onScopeDispose, watch } from 'vue'

export function useDemoClicks(demo: string, stepCount: number, live: Ref<boolean>, state: Ref<StateMessage | undefined>, askStep: (() => void) | undefined) {
  const { $clicks, $clicksContext } = useSlideContext()
  const id = `live-terminal:${demo}`
  const info = $clicksContext.calculateSince('+1', stepCount)
  $clicksContext.register(id, info)
  onScopeDispose(() => $clicksContext.unregister(id))
  const first = info?.start ?? 1

  /** Steps the slide's clicks stand at (the highlight). */
  const clicked = computed({
    get: () => Math.min(stepCount, Math.max(0, $clicks.value - first + 1)),
    set: (n: number) => { $clicks.value = first - 1 + n },
  })
  const busy = computed(() => Boolean(state.value && (state.value.busy)))
  /** A step is running or asked for and not yet started: "next" past the last step must wait. */
  const waiting = computed(() => live.value && Boolean(state.value) && (busy.value || state.value!.nextStep < clicked.value))

  // Arriving on the slide (also backwards, where Slidev shows every click), the highlight moves
  // to where the shell is, from the session's state (or its first, if none came yet): arriving
  // must not type the steps again.
  let synced = false
  let asked = false
  /** Slidev applies a click set from here later (through the route): nothing is asked meanwhile. */
  let settling = false
  const moveTo = (n: number) => {
    if (clicked.value !== n) {
      settling = true
      clicked.value = n
    }
  }
  function pump() {
    const s = state.value
    if (!askStep || !s || !synced || asked || settling || busy.value || s.phase !== 'running')
      return
    if (s.nextStep < clicked.value) {
      asked = true
      askStep()
    }
  }
  const sync = (s: StateMessage) => {
    synced = true
    moveTo(s.nextStep)
  }
  watch(live, (isLive) => {
    synced = false
    if (isLive && state.value)
      sync(state.value)
  })
  watch(state, (s) => {
    asked = false
    if (!s || !live.value)
      return
    if (!synced)
      sync(s)
    pump()
  })
  // Synchronously, in the clicker's keydown: the step is asked before Vue's next flush, which
  // also re-renders the deck for the click (tens of ms on a busy machine).
  watch(clicked, () => {
    settling = false
    pump()
  }, { flush: 'sync' })

  return {
    clicked,
    waiting,
    /** After a reset the shell starts over, and so do the steps. */
    restart: () => moveTo(0),
    isLastClick: computed(() => clicked.value >= stepCount),
  }
}
