/** Follow mode's pure parts: the start flags, the follow path rule, the slide text, the settings. */
import { describe, expect, it } from 'vitest'
import { takeFollowFlags } from '../../server/follow/cli-flags.ts'
import { followResource } from '../../server/follow/listener.ts'
import { followSettings, followUrls } from '../../server/follow/options.ts'
import { textHtml } from '../../server/follow/slides.ts'

describe('npm start flags (Slidev\'s parser is strict: --follow must not reach it)', () => {
  it('takes --follow and its --bind, and leaves the rest', () => {
    const env: Record<string, string | undefined> = {}
    expect(takeFollowFlags(['--port', '3030', '--follow', '--bind', '192.168.1.20'], env)).toEqual(['--port', '3030'])
    expect(env).toEqual({ LT_FOLLOW: '1', LT_FOLLOW_BIND: '192.168.1.20' })
    const env2: Record<string, string | undefined> = {}
    expect(takeFollowFlags(['--bind=10.0.0.2', '--follow'], env2)).toEqual([])
    expect(env2.LT_FOLLOW_BIND).toBe('10.0.0.2')
  })
  it('leaves --bind to Slidev under --remote, and changes nothing without --follow', () => {
    const env: Record<string, string | undefined> = {}
    expect(takeFollowFlags(['--remote', '--bind', '10.0.0.2', '--follow'], env)).toEqual(['--remote', '--bind', '10.0.0.2'])
    expect(env).toEqual({ LT_FOLLOW: '1' })
    const none: Record<string, string | undefined> = {}
    expect(takeFollowFlags(['--bind', '10.0.0.2'], none)).toEqual(['--bind', '10.0.0.2'])
    expect(none).toEqual({})
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
