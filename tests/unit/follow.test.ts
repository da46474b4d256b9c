/** Follow mode's pure parts: the start flags, the follow path rule, the slide text, the settings. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DECK_PORT, followPort, startFlags } from '../../server/follow/flags.ts'
import { followResource } from '../../server/follow/listener.ts'
import { followSettings, followUrls } from '../../server/follow/options.ts'
import { textHtml } from '../../server/follow/slides.ts'

describe('the start flags, one rule (flags.ts; Slidev\'s parser is strict: --follow must not reach it)', () => {
  it('takes --follow and its --bind, and leaves the rest to Slidev', () => {
    expect(startFlags(['--port', '3030', '--follow', '--bind', '192.168.1.20'])).toEqual({ follow: true, bind: '192.168.1.20', port: 3030, slidev: ['--port', '3030'] })
    expect(startFlags(['--bind=10.0.0.2', '--follow'])).toMatchObject({ bind: '10.0.0.2', slidev: [] })
  })
  it('leaves --bind to Slidev under --remote, and changes nothing without --follow', () => {
    expect(startFlags(['--remote', '--bind', '10.0.0.2', '--follow'])).toMatchObject({ follow: true, bind: undefined, slidev: ['--remote', '--bind', '10.0.0.2'] })
    expect(startFlags(['--bind', '10.0.0.2'])).toEqual({ follow: false, bind: undefined, port: DECK_PORT, slidev: ['--bind', '10.0.0.2'] })
  })
  it('the follow listener takes the deck\'s --port + 1, in both spellings, 3030 by default', () => {
    expect(followPort(startFlags(['--port=4200', '--follow']).port)).toBe(4201)
    expect(followPort(startFlags(['--follow', '--port', '4210']).port)).toBe(4211)
    expect(followPort(startFlags(['--follow']).port)).toBe(DECK_PORT + 1)
    expect(followSettings(4200, { LT_FOLLOW: '1' })!.port).toBe(followPort(4200))
  })
  it('is the rule package.json\'s start script and the preload follow', () => {
    const start = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.start!
    expect(start).toContain('--import ./server/follow/cli-flags.ts')
    expect(startFlags(start.split(' ')).port).toBe(DECK_PORT)
  })
})

describe('the follow path rule', () => {
  const code = '0123456789abcdef'
  it('serves the page and its files under the code only', () => {
    expect(followResource(`/follow/${code}`, code)).toBe('')
    expect(followResource(`/follow/${code}/`, code)).toBe('')
    expect(followResource(`/follow/${code}/app.js`, code)).toBe('app.js')
    expect(followResource(`/follow/${code}/live?x=1`, code)).toBe('live')
    expect(followResource(`/follow/${code.toUpperCase()}/live`, code)).toBe('live') // the path rule lowercases
  })
  it('gives nothing for a wrong, short, long or missing code, or a way out', () => {
    for (const url of ['/', '/follow', '/follow/', `/follow/${code.slice(1)}`, `/follow/${code}0`, `/follow/${code}/a/b`, `/follow/${code}/../../__live-terminal/token`, '/follow/%zz', undefined])
      expect(followResource(url, code), String(url)).toBeUndefined()
  })
})

describe('slide text for followers', () => {
  it('escapes everything; of HTML only its text; components, scripts, styles and comments left out', () => {
    const html = textHtml('# 제목\n\n- `kubectl get pods` **중요**\n<LiveTerminal demo="shell" />\n<script>alert(1)</script>\n<style>\n.x { color: red }\n</style>\n<!-- 발표자 메모 -->\n<div class="card"><h3>1. 서론</h3><img src=x onerror=alert(2)></div>\n문단 <b>x</b>\n\n```sh\necho "<x>"\n```')
    expect(html).toBe('<h2>제목</h2>\n<ul>\n<li><code>kubectl get pods</code> <strong>중요</strong></li>\n</ul>\n<p>1. 서론</p>\n<p>문단 &lt;b&gt;x&lt;/b&gt;</p>\n<pre>echo &quot;&lt;x&gt;&quot;</pre>')
    expect(html).not.toMatch(/alert|color: red|onerror/)
    expect(html).not.toContain('<script')
    expect(html).not.toContain('메모')
  })
})

describe('follow settings', () => {
  it('off by default; on with LT_FOLLOW=1, every interface, the deck\'s port + 1, 500 followers, a random code', () => {
    expect(followSettings(3030, {})).toBeUndefined()
    const s = followSettings(3030, { LT_FOLLOW: '1' })!
    expect(s).toMatchObject({ host: '0.0.0.0', port: 3031, maxFollowers: 500 })
    expect(s.code).toMatch(/^[0-9a-f]{16}$/)
    expect(followSettings(3030, { LT_FOLLOW: '1' })!.code).not.toBe(s.code)
    expect(followUrls('10.0.0.2', 3031, 'abc')).toEqual(['http://10.0.0.2:3031/follow/abc'])
  })
})
