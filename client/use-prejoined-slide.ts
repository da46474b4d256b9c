/**
 * Keeps the slide of a pre-joined terminal laid out while it is hidden. Slidev hides the slides it
 * is not showing with `display: none`, which has no layout: xterm.js can then neither measure
 * its font nor draw a row, and did both on arrival (100–400 ms on a busy two-core machine, most
 * of the wait for the prompt). The slide gets a class instead (LiveTerminal.vue's global style:
 * laid out, `visibility: hidden`, so it takes no clicks, no focus and no place in the
 * accessibility tree) once any transition out of it is over, and loses it on arrival, when
 * Slidev's own `v-show` shows it.
 */
import type { Ref } from 'vue'
import { onScopeDispose, watch } from 'vue'

const PREJOINED_SLIDE_CLASS = 'live-terminal-prejoined-slide'
/** Longer than a slide transition: a slide just left fades out before it is pre-joined. */
const AFTER_TRANSITION_MS = 1000

export function usePrejoinedSlide(root: Ref<HTMLElement | undefined>, prejoined: Ref<boolean>) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const mark = (on: boolean) => root.value?.closest('.slidev-page')?.classList.toggle(PREJOINED_SLIDE_CLASS, on)
  watch(prejoined, (on) => {
    clearTimeout(timer)
    if (on)
      timer = setTimeout(() => mark(true), AFTER_TRANSITION_MS)
    else
      mark(false)
  }, { immediate: true, flush: 'post' })
  onScopeDispose(() => {
    clearTimeout(timer)
    mark(false)
  })
}
