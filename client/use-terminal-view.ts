/**
 * What one LiveTerminal shows: the current slide in the slide or presenter view goes live; a
 * mounted slide whose demo is prepared ahead is 'prejoined': joined to its session and drawing it
 * while hidden, so that arriving shows the prompt at once (the same connection then goes live);
 * print, previews and other slides show the recording's 'still' at their click; the static build
 * (no server) and the on-stage fallback play the recording step by step ('playback').
 */
import type { Ref } from 'vue'
import { useIsSlideActive, useNav, useSlideContext } from '@slidev/client'
import { computed } from 'vue'
import { aheadDemos } from './prepare-ahead.ts'

export type View = 'live' | 'prejoined' | 'still' | 'playback'

/** Joined to the demo's session (on screen or pre-joined): the live side owns the terminal. */
export const isConnected = (v: View) => v === 'live' || v === 'prejoined'

export function useTerminalView(demo: string, showRecording: Ref<boolean>) {
  const { $renderContext } = useSlideContext()
  const { isPrintMode } = useNav()
  const active = useIsSlideActive()
  const view = computed<View>(() => {
    if (isPrintMode.value || !['slide', 'presenter'].includes($renderContext.value))
      return 'still'
    if (!active.value)
      return __SLIDEV_HAS_SERVER__ && !showRecording.value && aheadDemos.value.has(demo) ? 'prejoined' : 'still'
    if (!__SLIDEV_HAS_SERVER__)
      return 'playback'
    return showRecording.value ? 'playback' : 'live'
  })
  return {
    view,
    connected: computed(() => isConnected(view.value)),
    /** On screen and in the presenter's hands (keys, clicks, panel). */
    onStage: computed(() => view.value === 'live' || view.value === 'playback'),
  }
}
