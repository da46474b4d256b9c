/**
 * The slice of `@slidev/client` the components use, typed for our strict type check:
 * Slidev ships its client as TypeScript sources that don't compile under our settings
 * (tsconfig maps the import here; at run time Vite resolves the real package).
 */
import type { ComputedRef, Ref } from 'vue'

export type RenderContext = 'none' | 'slide' | 'overview' | 'presenter' | 'previewNext'

/** Where a group of clicks sits on its slide (Slidev's ClicksInfo, the fields we read). */
export interface ClicksInfo { start: number, end: number, max: number, delta: number }

export interface ClicksContext {
  readonly total: number
  calculateSince: (at: string | number, size?: number) => ClicksInfo | null
  register: (el: string, info: ClicksInfo | null) => void
  unregister: (el: string) => void
}

export interface SlideRoute {
  no: number
  meta: { slide?: { frontmatter: Record<string, unknown> } }
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
