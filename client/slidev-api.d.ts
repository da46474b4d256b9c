/**
 * The slice of `@slidev/client` the components use, typed for our strict type check:
 * Slidev ships its client as TypeScript sources that don't compile under our settings
 * (tsconfig maps the import here; at run time Vite resolves the real package). The types are
 * Slidev's own, from `@slidev/types`.
 */
import type { ClicksContext, RenderContext, SlideInfo, SlideRoute } from '@slidev/types'
import type { ComputedRef, Ref } from 'vue'

// Slidev adds its slide to each route's meta (in @slidev/client's shim-vue.d.ts, which needs the
// client's sources): the slide's info, frontmatter included.
declare module 'vue-router' {
  interface RouteMeta { slide?: Omit<SlideInfo, 'source'> }
}

export function useSlideContext(): {
  $page: Ref<number>
  $renderContext: Ref<RenderContext>
  $scale: Ref<number | string>
  /** Settable: Slidev clamps it to the slide's clicks and syncs it to the other windows. */
  $clicks: Ref<number>
  $clicksContext: ClicksContext
}

export function useNav(): {
  isPrintMode: ComputedRef<boolean>
  isPresenter: ComputedRef<boolean>
  currentSlideNo: ComputedRef<number>
  slides: Ref<SlideRoute[]>
}

export function useIsSlideActive(): ComputedRef<boolean>

/** The headmatter, with Slidev's defaults. */
export const configs: Record<string, unknown>
