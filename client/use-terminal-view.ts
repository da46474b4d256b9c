/**
 * What one LiveTerminal shows: only the current slide in the slide or presenter view goes live;
 * print, previews and slides not on screen show the recording at their click; the static build
 * (no server) and the on-stage fallback play the recording step by step.
 */
import type { Ref } from 'vue'
import { useIsSlideActive, useNav, useSlideContext } from '@slidev/client'
import { computed } from 'vue'

export type View = 'live' | 'recording' | 'replay'

export function useTerminalView(showRecording: Ref<boolean>) {
  const { $renderContext } = useSlideContext()
  const { isPrintMode } = useNav()
  const active = useIsSlideActive()
  return computed<View>(() => {
    if (isPrintMode.value || !['slide', 'presenter'].includes($renderContext.value) || !active.value)
      return 'recording'
    if (!__SLIDEV_HAS_SERVER__)
      return 'replay'
    return showRecording.value ? 'replay' : 'live'
  })
}
