/**
 * The presenter's slide position, as Slidev shares it: its shared state (`server-reactive:nav`)
 * is written by the deck's own page over loopback (the guard lets nothing else write it) and
 * broadcast on the HMR channel. We read that broadcast; nothing here writes the position.
 */
import type { ViteDevServer } from 'vite'

type Send = (payload: unknown) => void

/** Calls `onNav` with each new page (1-based) and click the shared position gets. */
export function watchNav(server: Pick<ViteDevServer, 'ws'>, onNav: (page: number, clicks: number) => void): void {
  const ws = server.ws as unknown as { send: Send }
  const send = ws.send.bind(ws)
  let page = 1
  let clicks = 0
  ws.send = (payload: unknown) => {
    try {
      const p = payload as { type?: string, event?: string, data?: { key?: string, data?: Record<string, unknown>, patch?: Record<string, unknown> } }
      if (p?.type === 'custom' && p.event === 'vue-server-ref' && p.data?.key === 'nav') {
        const state = p.data.data ?? p.data.patch ?? {}
        if (typeof state.page === 'number')
          page = state.page
        if (typeof state.clicks === 'number')
          clicks = state.clicks
        onNav(page, clicks)
      }
    }
    catch {} // never in the way of the deck's own channel
    send(payload)
  }
}
