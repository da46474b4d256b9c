/**
 * Who may connect at all: exact Origin, Host allow-list (DNS rebinding), loopback only.
 * Every refusal is an HTTP status on the real server, and nothing is spawned.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_PATH } from '../../../common/protocol.ts'
import { rawUpgrade } from '../../helpers/raw-ws.ts'
import { connect } from '../../../dev/bridge-client.ts'
import { request } from '../../../dev/http.ts'
import { within } from '../../../dev/wait.ts'
import { expectNoSpawn, refusedStatus, startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

let b: TestBridge

beforeAll(async () => {
  b = await startBridge()
})
afterAll(async () => {
  await b.close()
})
afterEach(() => {
  expectNoSpawn(b)
})

describe('exact Origin on the upgrade', () => {
  it('control: accepts the deck\'s own origin (the refusals below are not an accident)', async () => {
    const c = await b.join({ hello: false })
    expect(c.ws.readyState).toBe(c.ws.OPEN)
    await c.close()
  })

  it('refuses Origin https://evil.example with 403 and spawns nothing', async () => {
    expect(await refusedStatus(b.join({ origin: 'https://evil.example' }))).toBe(403)
    expect(b.logs.at(-1)).toMatch(/refused GET \/__live-terminal from .*evil\.example/)
  })

  it.each([
    ['an origin that only starts right', (p: number) => `http://localhost:${p}.evil.example`],
    ['another port', (p: number) => `http://localhost:${p + 1}`],
    ['https instead of http', (p: number) => `https://localhost:${p}`],
    ['127.0.0.1 when the deck was opened as localhost', (p: number) => `http://127.0.0.1:${p}`],
    ['localhost when the deck was opened as 127.0.0.1 (Host 127.0.0.1)', (p: number) => `http://localhost:${p}`, (p: number) => `127.0.0.1:${p}`],
    ['a trailing slash', (p: number) => `http://localhost:${p}/`],
    ['a userinfo trick', (p: number) => `http://localhost:${p}@evil.example`],
    ['a different case', (p: number) => `http://LOCALHOST:${p}`],
    ['two origins in one header', (p: number) => `http://localhost:${p} https://evil.example`],
  ])('refuses %s with 403', async (_what, origin, host?: (p: number) => string) => {
    expect(await refusedStatus(b.join({ origin: origin(b.port), host: host?.(b.port) }))).toBe(403)
  })

  it('refuses a missing Origin and Origin: null with 403', async () => {
    expect(await refusedStatus(b.join({ origin: null }))).toBe(403)
    expect(await refusedStatus(b.join({ origin: 'null' }))).toBe(403)
    expect(await refusedStatus(b.join({ origin: '' }))).toBe(403)
    expect(b.logs.slice(-3).join('\n')).toMatch(/Origin missing/)
  })

  it('answers a refused raw upgrade with 403 and closes the TCP connection (no 101, no frames)', async () => {
    const peer = await rawUpgrade(b.port, { origin: 'https://evil.example' })
    expect(peer.status).toBe(403)
    await within(peer.ended, 5000, 'the server closing the connection')
    expect(peer.received().toString()).not.toContain('HTTP/1.1 101')
  })
})

describe('Host allow-list (DNS rebinding)', () => {
  it('refuses an upgrade with Host attacker.example:PORT even when Origin matches that Host', async () => {
    const host = `attacker.example:${b.port}`
    expect(await refusedStatus(b.join({ host, origin: `http://${host}` }))).toBe(403)
    expect(b.logs.at(-1)).toMatch(/Host "attacker\.example/)
  })

  it('refuses a Host on another port, and no Host at all', async () => {
    expect(await refusedStatus(b.join({ host: `localhost:${b.port + 1}`, origin: `http://localhost:${b.port + 1}` }))).toBe(403)
    const peer = await rawUpgrade(b.port, { host: '' })
    expect(peer.status).toBe(403)
  })

  it('refuses the token endpoint to a rebinding Host, without the token in the answer', async () => {
    const r = await request(b.port, TOKEN_PATH, { Host: `attacker.example:${b.port}` })
    expect(r.status).toBe(403)
    expect(r.body).not.toContain(b.token)
  })

  it('refuses every other path of the standalone server to a foreign Host (and 404s it to a good one)', async () => {
    for (const p of ['/', '/index.html', '/__live-terminal/other', '/../etc/passwd']) {
      expect((await request(b.port, p, { Host: `attacker.example:${b.port}` })).status).toBe(403)
      expect((await request(b.port, p, { Host: `localhost:${b.port}` })).status).toBe(404)
    }
  })

  it('refuses an upgrade on another path to a foreign Host with 403, not only the bridge path', async () => {
    const peer = await rawUpgrade(b.port, { path: '/other', host: `attacker.example:${b.port}`, origin: `http://attacker.example:${b.port}` })
    expect(peer.status).toBe(403)
  })
})

describe('the token endpoint', () => {
  it('hands the token to a same-origin fetch, never with CORS headers', async () => {
    const r = await request(b.port, TOKEN_PATH, { 'Host': `localhost:${b.port}`, 'Sec-Fetch-Site': 'same-origin' })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toEqual({ token: b.token })
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
    expect(r.headers['cache-control']).toBe('no-store')
  })

  it.each([
    ['a cross-site fetch', { 'Sec-Fetch-Site': 'cross-site' }],
    ['a same-site page on another port', { 'Sec-Fetch-Site': 'same-site' }],
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    ['an Origin that only looks right', { Origin: 'http://localhost:1.evil.example' }],
    ['Origin: null (sandboxed frame)', { Origin: 'null' }],
  ])('refuses %s with 403', async (_what, headers: Record<string, string>) => {
    const r = await request(b.port, TOKEN_PATH, { Host: `localhost:${b.port}`, ...headers })
    expect(r.status).toBe(403)
    expect(r.body).not.toContain(b.token)
  })

  it('refuses methods other than GET', async () => {
    const r = await request(b.port, TOKEN_PATH, { Host: `localhost:${b.port}` }, { method: 'POST' })
    expect(r.status).toBe(405)
    expect(r.body).not.toContain(b.token)
  })
})

describe('loopback only', () => {
  it('listens on 127.0.0.1: another loopback address (127.0.0.2) reaches nothing', async () => {
    const viaOther = connect(b.port, { address: '127.0.0.2', token: b.token })
    await expect(viaOther).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await expect(request(b.port, TOKEN_PATH, { Host: `localhost:${b.port}` }, { address: '127.0.0.2' })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    // …while the bound address works, so the refusal above is about the address.
    expect((await request(b.port, TOKEN_PATH, { Host: `localhost:${b.port}` })).status).toBe(200)
  })

  it('has no IPv6 or wildcard listener on the same port', async () => {
    await expect(request(b.port, TOKEN_PATH, { Host: `localhost:${b.port}` }, { address: '::1' })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })
})
