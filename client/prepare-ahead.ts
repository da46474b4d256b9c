/**
 * Ready on arrival: every demo from the current slide to `prepareAhead` slides ahead (headmatter,
 * default 2; `all`: every demo of the deck from its opening on) gets a hidden watch connection. A session runs its setup when its first window
 * joins and ends when its last leaves, so by the time the presenter reaches the slide the shell
 * already waits at its prompt. The states also feed the presenter's panel (ready, preparing,
 * failed and why). The slides of those demos, once Slidev has mounted them, join too and draw
 * the shell while hidden (use-terminal-view.ts: 'prejoined'), so arriving shows it at once.
 */
import type { Connection } from './connection.ts'
import type { StateMessage } from '../common/protocol.ts'
import { configs, useNav } from '@slidev/client'
import { watchDebounced } from '@vueuse/core'
import { computed, reactive, shallowRef } from 'vue'
import { slideDemo } from '../common/slide-demo.ts'
import { openConnection } from './connection.ts'

const DEFAULT_AHEAD = 2
/**
 * The window moves once the presenter has stayed on a slide this long: the next demo's setup
 * (seconds of CPU for a Kubernetes demo) then never competes with drawing the slide just
 * reached, and flicking through slides starts and kills no setups on the way.
 */
const SETTLE_MS = 1000

/** The last state each prepared demo reported, by demo id (empty where nothing is prepared). */
export const setupStates = reactive(new Map<string, StateMessage>())
/** The demos being prepared ahead in this window: from the current slide to `prepareAhead` on. */
export const aheadDemos = shallowRef<ReadonlySet<string>>(new Set())

/** Slides ahead of the current one whose demos are prepared (`all`: every slide). */
function aheadSetting(): number {
  const raw = configs.prepareAhead ?? DEFAULT_AHEAD
  if (raw === 'all')
    return Infinity
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)
    throw new Error(`slides.md headmatter: prepareAhead must be a whole number of slides ≥ 0 or all, got ${JSON.stringify(raw)}`)
  return raw
}

export function usePrepareAhead(): void {
  const { isPrintMode, slides, currentSlideNo } = useNav()
  if (!__SLIDEV_HAS_SERVER__ || isPrintMode.value)
    return
  const ahead = aheadSetting()
  const wanted = computed(() => new Set(slides.value
    .filter(s => ahead === Infinity || (s.no >= currentSlideNo.value && s.no <= currentSlideNo.value + ahead))
    .map(s => slideDemo(s.meta.slide?.frontmatter))
    .filter((d): d is string => d !== undefined)))

  const open = new Map<string, Connection>()
  const prepare = (demos: ReadonlySet<string>) => {
    if (demos.size === aheadDemos.value.size && [...demos].every(d => aheadDemos.value.has(d)))
      return
    aheadDemos.value = demos
    for (const [demo, c] of open) {
      if (!demos.has(demo)) {
        c.close()
        open.delete(demo)
        setupStates.delete(demo)
      }
    }
    for (const demo of demos) {
      if (open.has(demo))
        continue
      open.set(demo, openConnection(demo, 'watch', {
        output: (_bytes, rendered) => rendered(), // nobody looks, but the session waits for acks
        message: (m) => {
          if (m.type === 'state')
            setupStates.set(demo, m)
        },
        status: () => {},
      }))
    }
  }
  prepare(wanted.value)
  watchDebounced(wanted, prepare, { debounce: SETTLE_MS })
}
