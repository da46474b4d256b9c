/**
 * The follow page (a phone in the audience): the presenter's current slide, and on a demo slide
 * the demo's terminal, live and read-only, with the commands typed so far to copy. It only
 * listens: nothing it could send would be read (the server closes a follower that sends).
 */
import type { FollowMessage, FollowSlide } from '../../common/follow-protocol.ts'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { Terminal } from '@xterm/xterm'
import { TERMINAL_FONT } from '../terminal-font.ts'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const base = location.pathname.replace(/\/$/, '')
const FONT_KEY = 'follow-font-size'

let slides: FollowSlide[] = []
let livePage = 1
/** The slide this reader looks at: the presenter's unless they paged back on their own. */
let viewing: number | undefined
let liveDemo: string | null = null

function makeTerminal(): Terminal {
  const t = new Terminal({
    fontSize: Number(localStorage.getItem(FONT_KEY)) || 13,
    fontFamily: TERMINAL_FONT, // the deck's, served by the follow listener (server/follow/assets.ts)
    screenReaderMode: true, // the terminal's text as real text, readable and selectable
    disableStdin: true,
    allowProposedApi: true,
    scrollback: 2000,
    cursorBlink: false,
  })
  t.loadAddon(new Unicode11Addon())
  t.unicode.activeVersion = '11' // Korean at two cells a syllable, as in the deck
  return t
}
const term = makeTerminal()
/** A passed demo's final screen, from its recording. */
const rec = makeTerminal()
// The fonts come in unicode-range slices, each fetched when first needed: glyphs measured with a
// fallback are measured again once their slice has arrived (as the deck's terminal does).
document.fonts.addEventListener('loadingdone', () => {
  for (const t of [term, rec]) {
    t.clearTextureAtlas()
    t.refresh(0, t.rows - 1)
  }
})
let recOpened = false
let recShown: string | undefined
const recordings = new Map<string, Promise<{ cols: number, rows: number, output: string } | undefined>>()

async function showRecording(demo: string): Promise<void> {
  if (!recOpened) {
    recOpened = true
    rec.open($('rec-terminal'))
  }
  if (recShown === demo)
    return
  recShown = demo
  let p = recordings.get(demo)
  if (!p) {
    p = fetch(`${base}/rec-${demo}.json`).then(r => (r.ok ? r.json() as Promise<{ cols: number, rows: number, output: string }> : undefined)).catch(() => undefined)
    recordings.set(demo, p)
  }
  const r = await p
  if (recShown !== demo)
    return
  rec.reset()
  if (r) {
    rec.resize(r.cols, r.rows)
    rec.write(r.output)
  }
}

let opened = false
/** Opened once its box is shown: xterm measures its cells when it opens (a hidden box has none). */
function openTerminal(): void {
  if (!opened && !$('demo').hidden) {
    opened = true
    term.open($('terminal'))
  }
}

function setFont(size: number): void {
  const s = Math.min(24, Math.max(12, size))
  term.options.fontSize = s
  rec.options.fontSize = s
  localStorage.setItem(FONT_KEY, String(s))
}
$('smaller').addEventListener('click', () => setFont((term.options.fontSize ?? 13) - 1))
$('larger').addEventListener('click', () => setFont((term.options.fontSize ?? 13) + 1))

function render(): void {
  const no = viewing ?? livePage
  const slide = slides[no - 1]
  const article = $('slide')
  // The slide's own first heading is its title: shown once.
  article.innerHTML = slide ? `<h1>${escape(slide.title)}</h1>${slide.html.replace(/^<h2>[^<]*<\/h2>\n?/, m => (m.includes(escape(slide.title)) ? '' : m))}` : ''
  article.dataset.page = String(no)
  $('where').textContent = `${no} / ${slides.length}${viewing === undefined ? '' : ` (발표: ${livePage})`}`
  $<HTMLButtonElement>('live').hidden = viewing === undefined
  $('demo').hidden = !(liveDemo && viewing === undefined)
  // A demo slide that is not the live one (paged back to, or its demo not running): its recording.
  const recorded = slide?.demo && !(viewing === undefined && liveDemo === slide.demo) ? slide.demo : undefined
  $('recording').hidden = !recorded
  if (recorded)
    void showRecording(recorded)
  document.body.dataset.live = viewing === undefined ? 'yes' : 'no'
  openTerminal()
}

function escape(text: string): string {
  const d = document.createElement('div')
  d.textContent = text
  return d.innerHTML
}

function page(delta: number): void {
  const target = Math.min(slides.length, Math.max(1, (viewing ?? livePage) + delta))
  viewing = target === livePage ? undefined : target
  render()
}
$('prev').addEventListener('click', () => page(-1))
$('next').addEventListener('click', () => page(1))
$('live').addEventListener('click', () => {
  viewing = undefined
  render()
})

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  }
  catch { // plain http on the LAN is no secure context: no Clipboard API
    const area = document.createElement('textarea')
    area.value = text
    document.body.append(area)
    area.select()
    document.execCommand('copy')
    area.remove()
  }
  button.textContent = '복사됨'
  setTimeout(() => (button.textContent = '복사'), 1500)
}

function showCommands(commands: string[]): void {
  const list = $('commands')
  list.replaceChildren(...commands.map((c) => {
    const li = document.createElement('li')
    const code = document.createElement('code')
    code.textContent = c
    const button = document.createElement('button')
    button.type = 'button'
    button.textContent = '복사'
    button.addEventListener('click', () => void copy(c, button))
    li.append(code, button)
    return li
  }))
}

function onMessage(m: FollowMessage): void {
  switch (m.type) {
    case 'slide':
      livePage = m.page
      if (viewing === livePage)
        viewing = undefined
      break
    case 'demo':
      liveDemo = m.live ? m.demo : null
      term.reset()
      if (m.cols && m.rows)
        term.resize(m.cols, m.rows)
      $('demo-title').textContent = m.title ?? ''
      showCommands([])
      break
    case 'commands':
      showCommands(m.commands)
      break
    case 'reset':
      term.reset()
      break
    case 'beat':
      break
  }
  render()
}

function connect(): void {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${base}/live`)
  ws.binaryType = 'arraybuffer'
  ws.onopen = () => ($('status').textContent = '라이브')
  ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
    if (typeof e.data === 'string')
      onMessage(JSON.parse(e.data) as FollowMessage)
    else
      term.write(new Uint8Array(e.data))
  }
  ws.onclose = (e) => {
    $('status').textContent = e.reason === 'full' ? '가득 참' : '연결 끊김: 다시 연결 중…'
    setTimeout(connect, e.reason === 'full' ? 10_000 : 2_000)
  }
}

// The terminal measures its cell once it opens: with the deck's font, not a fallback's.
const fontReady = document.fonts.load(`16px ${TERMINAL_FONT}`, 'W안').catch(() => [])
void Promise.all([fetch(`${base}/slides.json`).then(r => r.json() as Promise<FollowSlide[]>), fontReady]).then(([s]) => {
  slides = s
  render()
  connect()
})
