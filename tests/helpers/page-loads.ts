/**
 * Loading pages in the browser tests: opening one until it shows (the network may change under
 * Chromium), and the documents a page's main frame loads, by path: one per page we open, and one more for each
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

/**
 * Opens `url` until `selector` shows: Chromium drops a page's loads when the machine's network
 * changes (a pod's veth coming up), so the page is opened again, a bounded number of times.
 */
export async function openUntilShown(page: Page, url: string, selector: string, what: string, tries = 3, ms = 120_000): Promise<void> {
  for (let i = 1; ; i++) {
    await page.goto(url)
    if (await page.waitForSelector(selector, { timeout: ms }).then(() => true, () => false))
      return
    if (i === tries)
      throw new Error(`${what}: not shown after ${tries} loads`)
  }
}
