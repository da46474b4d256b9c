/**
 * The presenter's keys on a demo slide, while the terminal does not have focus (page keys
 * reach Slidev otherwise): `l` toggles the recording, `n` asks for the next step, `R` resets
 * (also from the recording view: client/use-live-fallback.ts).
 * And "next" (what a clicker sends) is held back on the last step while it still runs, so the
 * slide does not leave a command half-way.
 */
import type { Ref } from 'vue'
import { useEventListener } from '@vueuse/core'

const NEXT_KEYS = new Set([' ', 'ArrowRight', 'PageDown'])

export function useStageKeys(root: Ref<HTMLElement | undefined>, on: {
  enabled: () => boolean
  live: () => boolean
  toggleRecording: () => void
  step: () => void
  reset: () => void
  /** True while "next" must wait instead of leaving the slide. */
  holdNext: () => boolean
  held: () => void
}) {
  useEventListener(window, 'keydown', (ev: KeyboardEvent) => {
    if (!on.enabled() || ev.ctrlKey || ev.metaKey || ev.altKey)
      return
    if (root.value?.contains(document.activeElement)) // typing into the terminal
      return
    const target = ev.target as HTMLElement | null
    if (target && ['INPUT', 'TEXTAREA'].includes(target.tagName))
      return
    if (ev.key === 'l')
      on.toggleRecording()
    else if (ev.key === 'n' && on.live())
      on.step()
    else if (ev.key === 'R')
      on.reset()
    else if (NEXT_KEYS.has(ev.key) && on.holdNext())
      on.held()
    else
      return
    ev.preventDefault()
    ev.stopPropagation()
  }, { capture: true })
}
