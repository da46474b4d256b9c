/**
 * The documents a page's main frame loads, by path: one per page we open, and one more for each
 * reload (Vite reloads a page when it discovers a dependency late). Used by the first-open test
 * and bench.
 */
import type { Page } from 'playwright-core'

export function pageLoads(page: Page): string[] {
  const seen: string[] = []
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame())
      seen.push(new URL(r.url()).pathname)
  })
  return seen
}
