/**
 * What one LiveTerminal shows: the current slide in the slide or presenter view goes live; a
 * mounted slide whose demo is prepared ahead is 'staged': joined to its session and drawing it
 * while hidden, so that arriving shows the prompt at once (the same connection then goes live);
 * print, previews and other slides show the recording at their click; the static build (no
 * server) and the on-stage fallback play the recording step by step.
 */
import type { Ref } from 'vue'
import { useIsSlideActive, useNav, useSlideContext } from '@slidev/client'
import { computed } from 'vue'
import { aheadDemos } from './prepare-ahead.ts'

export type View = 'live' | 'staged' | 'recording' | 'replay'

/** Joined to the demo's session (on screen or staged): the live side owns the terminal. */
export const isConnected = (v: View) => v === 'live' || v === 'staged'

export function useTerminalView(demo: string, showRecording: Ref<boolean>) {
  const { $renderContext } = useSlideContext()
  const { isPrintMode } = useNav()
  const active = useIsSlideActive()
  const view = computed<View>(() => {
    if (isPrintMode.value || !['slide', 'presenter'].includes($renderContext.value))
      return 'recording'
    if (!active.value)
      return __SLIDEV_HAS_SERVER__ && !showRecording.value && aheadDemos.value.has(demo) ? 'staged' : 'recording'
    if (!__SLIDEV_HAS_SERVER__)
      return 'replay'
    return showRecording.value ? 'replay' : 'live'
  })
  return {
    view,
    connected: computed(() => isConnected(view.value)),
    /** On screen and in the presenter's hands (keys, clicks, panel). */
    onStage: computed(() => view.value === 'live' || view.value === 'replay'),
  }
}
