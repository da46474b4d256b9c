/**
 * The slice of `@slidev/client` the components use, typed for our strict type check:
 * Slidev ships its client as TypeScript sources that don't compile under our settings
 * (tsconfig maps the import here; at run time Vite resolves the real package).
 */
import type { ComputedRef, Ref } from 'vue'

export type RenderContext = 'none' | 'slide' | 'overview' | 'presenter' | 'previewNext'

export function useSlideContext(): {
  $page: Ref<number>
  $renderContext: Ref<RenderContext>
  $scale: Ref<number | string>
}

export function useNav(): {
  isPrintMode: ComputedRef<boolean>
  currentSlideNo: ComputedRef<number>
}
