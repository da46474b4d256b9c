// Walks the whole deck in real Chromium (Debian's /usr/bin/chromium, through the shared
// playwright.config.ts and its Slidev dev server): every slide renders without page errors or
// console errors, its content fits the slide, the bundled Korean font is in use, and no request
// (http or websocket) goes to any host other than the deck's own.
import { expect, test, type Page } from '@playwright/test'

interface SlidevNav {
  total: number
  currentSlideNo: number
  slides: { no: number, meta: { slide: { title?: string, frontmatter: Record<string, unknown> } } }[]
}

const DEMO_IDS = [
  'shell',
  'same-kernel',
  'docker-basics',
  'container-from-scratch',
  'k8s-deploy',
  'k8s-self-healing',
  'k8s-scaling',
  'k8s-autoscaling',
  'k8s-rolling-update',
]

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** data:, blob:, or the deck's own server (its loopback names on the same port count as one). */
function isOwn(url: string, host: string): boolean {
  const u = new URL(url)
  if (u.protocol === 'data:' || u.protocol === 'blob:' || url === 'about:blank')
    return true
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol))
    return false
  if (u.host === host)
    return true
  const own = new URL(`http://${host}`)
  return LOOPBACK.has(u.hostname) && LOOPBACK.has(own.hostname) && u.port === own.port
}

/** Records every request and websocket, page errors and console errors. */
function watch(page: Page, host: string) {
  const state = {
    foreign: new Set<string>(),
    errors: [] as string[],
    // Chromium aborts in-flight requests when the machine's network interfaces change
    // (a local cluster or docker starting containers does that); such a load is retried.
    networkChanged: false,
  }
  page.on('request', r => { if (!isOwn(r.url(), host)) state.foreign.add(r.url()) })
  page.on('websocket', ws => { if (!isOwn(ws.url(), host)) state.foreign.add(ws.url()) })
  page.on('pageerror', e => state.errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error')
      state.errors.push(`console.error: ${m.text()}`)
  })
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText.includes('ERR_NETWORK_CHANGED'))
      state.networkChanged = true
  })
  return state
}

async function nav(page: Page): Promise<SlidevNav> {
  await page.waitForFunction(() => Boolean((window as unknown as { __slidev__?: unknown }).__slidev__), undefined, { timeout: 30_000 })
  return page.evaluate(() => {
    const n = (window as unknown as { __slidev__: { nav: SlidevNav } }).__slidev__.nav
    return {
      total: n.total,
      currentSlideNo: n.currentSlideNo,
      slides: n.slides.map(s => ({ no: s.no, meta: { slide: { title: s.meta.slide.title, frontmatter: { ...s.meta.slide.frontmatter } } } })),
    }
  })
}

/** Opens a slide by path and waits until it is on screen with its fonts loaded. */
async function open(page: Page, path: string, state: ReturnType<typeof watch>) {
  for (let attempt = 0; ; attempt++) {
    state.errors = []
    state.networkChanged = false
    await page.goto(path, { waitUntil: 'load' })
    // the slide on screen (the neighbours are preloaded but hidden)
    const slide = page.locator('[data-slidev-no]').filter({ visible: true }).first()
    // the slide's own layout, not Slidev's "Loading slide..." placeholder (a cold dev server
    // compiles each slide on first visit)
    const shown = await slide.locator('.slidev-layout').first().waitFor({ state: 'visible', timeout: 60_000 })
      .then(() => true, () => false)
    if (shown) {
      await page.evaluate(async () => { await document.fonts.ready })
      await page.waitForTimeout(300)
    }
    if (state.networkChanged && attempt < 3)
      continue
    expect(shown, `slide ${path} did not render`).toBe(true)
    const no = Number(await slide.getAttribute('data-slidev-no'))
    if (/^\/\d+$/.test(path))
      expect(no, `${path} shows slide ${no}`).toBe(Number(path.slice(1)))
    return { no, slide }
  }
}

test.describe('deck', () => {
  test('every slide renders, with no page errors and no request leaving the deck', async ({ page, baseURL }) => {
    test.setTimeout(15 * 60_000)
    expect(baseURL, 'playwright.config.ts must set use.baseURL to the deck server').toBeTruthy()
    const host = new URL(baseURL!).host
    const state = watch(page, host)

    await open(page, '/1', state)
    const { total, slides } = await nav(page)
    expect(total).toBeGreaterThan(20)

    // the bundled Korean font is the one in use
    // (document.fonts only knows @font-face faces, so a system-installed font would not count)
    const font = await page.evaluate(async () => ({
      family: getComputedStyle(document.querySelector('.slidev-layout h1')!).fontFamily,
      faces: (await document.fonts.load('700 16px "Noto Sans KR"', '쿠버네티스 기초')).length,
      loaded: document.fonts.check('700 16px "Noto Sans KR"', '쿠버네티스 기초'),
    }))
    expect(font.family).toContain('Noto Sans KR')
    expect(font.faces).toBeGreaterThan(0)
    expect(font.loaded).toBe(true)

    const problems: string[] = []
    for (let no = 1; no <= total; no++) {
      const { slide } = await open(page, `/${no}`, state)
      const title = slides.find(s => s.no === no)?.meta.slide.title ?? ''
      const where = `slide ${no} (${title})`

      for (const e of state.errors)
        problems.push(`${where}: ${e}`)

      const text = (await slide.innerText()).trim()
      if (!/[가-힣]/.test(text))
        problems.push(`${where}: no Korean text on screen`)

      // nothing spills out of the slide canvas
      const fit = await slide.locator('.slidev-layout').first().evaluate(el => ({
        h: el.scrollHeight - el.clientHeight,
        w: el.scrollWidth - el.clientWidth,
      }))
      if (fit.h > 2 || fit.w > 2)
        problems.push(`${where}: content overflows the slide by ${fit.w}px x ${fit.h}px`)
    }

    expect(problems).toEqual([])
    expect([...state.foreign]).toEqual([])
  })

  test('each demo slide opens by its alias (/ID)', async ({ page, baseURL }) => {
    test.setTimeout(5 * 60_000)
    const host = new URL(baseURL!).host
    const state = watch(page, host)
    for (const id of DEMO_IDS) {
      const { no, slide } = await open(page, `/${id}`, state)
      const { slides } = await nav(page)
      expect(slides.find(s => s.no === no)?.meta.slide.frontmatter.routeAlias, id).toBe(id)
      await expect(slide.locator('.slidev-layout.demo')).toBeVisible()
      await expect(slide.locator('h1')).not.toBeEmpty()
      expect(state.errors, id).toEqual([])
    }
    expect([...state.foreign]).toEqual([])
  })
})
