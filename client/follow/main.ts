/**
 * The follow page (a phone in the audience): the presenter's current slide, and on a demo slide
 * the demo's terminal, live and read-only, with the commands typed so far to copy. It only
 * listens: nothing it could send would be read (the server closes a follower that sends).
 */
import type { FollowMessage, FollowSlide } from '../../common/follow-protocol.ts'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { Terminal } from '@xterm/xterm'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const base = location.pathname.replace(/\/$/, '')
const FONT_KEY = 'follow-font-size'

let slides: FollowSlide[] = []
let livePage = 1
/** The slide this reader looks at: the presenter's unless they paged back on their own. */
let viewing: number | undefined
let liveDemo: string | null = null

const term = new Terminal({
  fontSize: Number(localStorage.getItem(FONT_KEY)) || 13,
  fontFamily: '"Nanum Gothic Coding", "Noto Sans Mono CJK KR", "Noto Sans Mono", monospace',
  screenReaderMode: true, // the terminal's text as real text, readable and selectable
  disableStdin: true,
  allowProposedApi: true,
  scrollback: 2000,
  cursorBlink: false,
  convertEol: false,
})
term.loadAddon(new Unicode11Addon())
term.unicode.activeVersion = '11' // Korean at two cells a syllable, as in the deck
term.open($('terminal'))

function setFont(size: number): void {
  const s = Math.min(24, Math.max(12, size))
  term.options.fontSize = s
  localStorage.setItem(FONT_KEY, String(s))
}
$('smaller').addEventListener('click', () => setFont((term.options.fontSize ?? 13) - 1))
$('larger').addEventListener('click', () => setFont((term.options.fontSize ?? 13) + 1))

function render(): void {
  const no = viewing ?? livePage
  const slide = slides[no - 1]
  const article = $('slide')
  article.innerHTML = slide ? `<h1>${escape(slide.title)}</h1>${slide.html}` : ''
  article.dataset.page = String(no)
  $('where').textContent = `${no} / ${slides.length}${viewing === undefined ? '' : ` (발표: ${livePage})`}`
  $<HTMLButtonElement>('live').hidden = viewing === undefined
  $('demo').hidden = !(liveDemo && viewing === undefined)
  document.body.dataset.live = viewing === undefined ? 'yes' : 'no'
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
      liveDemo = m.demo
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

void fetch(`${base}/slides.json`).then(r => r.json() as Promise<FollowSlide[]>).then((s) => {
  slides = s
  render()
  connect()
})
