/**
 * A hostile web page, as the presenter might open one during the talk: it tries every way a page
 * can reach the deck's server without CORS (simple POSTs need no preflight, WebSockets have no
 * CORS at all) and records what happened in `window.attack`.
 */
import { BRIDGE_PATH, PROTOCOL_VERSION, TOKEN_PATH } from '../../common/protocol.ts'

export interface AttackResult {
  /** What the page could read of the token endpoint: 'blocked' when fetch failed. */
  token: string
  /** 'open' if the bridge's socket opened, else 'closed <code>'. */
  bridge: string
  hmr: string
  /** The simple POSTs the page sent (no-cors: their answers are opaque to it, or dropped). */
  posted: number
}

export function attackHtml(deckPort: number): string {
  const deck = `http://localhost:${deckPort}`
  const script = `
  const deck = ${JSON.stringify(deck)}
  // Sent either way: the answer is opaque, or the browser drops it (Cross-Origin-Resource-Policy);
  // the test reads the server's log to see that each arrived.
  const simplePost = (path, body) => fetch(deck + path, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) }).then(() => 1, () => 1)
  const socket = (url, protocols, first) => new Promise((resolve) => {
    const ws = new WebSocket(url, protocols)
    let opened = false
    ws.onopen = () => { opened = true; if (first) ws.send(first) }
    ws.onclose = (ev) => resolve(opened ? 'open' : 'closed ' + ev.code)
    setTimeout(() => { ws.close(); resolve(opened ? 'open' : 'timeout') }, 5000)
  })
  window.attack = (async () => {
    const posts = await Promise.all([
      simplePost('/__slidev/slides/2.json', { note: 'pwned <img src=x onerror=alert(1)>' }),
      simplePost('/__slidev/slides/1.json', { content: '# pwned' }),
      simplePost('/@server-ref/nav', { data: { page: 3, clicks: 0 } }),
      simplePost('/__mcp', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slidev-edit-slide' } }),
    ])
    const token = await fetch(deck + ${JSON.stringify(TOKEN_PATH)}).then(r => r.text(), () => 'blocked')
    const hello = JSON.stringify({ type: 'hello', v: ${PROTOCOL_VERSION}, token: 'guessed', demo: 'shell', role: 'control' })
    const bridge = await socket(deck.replace('http', 'ws') + ${JSON.stringify(BRIDGE_PATH)}, [], hello)
    const hmr = await socket(deck.replace('http', 'ws') + '/?token=guessed', ['vite-hmr'])
    return { token, bridge, hmr, posted: posts.reduce((a, b) => a + b, 0) }
  })()`
  return `<!doctype html><meta charset="utf-8"><title>cat pictures</title><script>${script}</script>`
}
