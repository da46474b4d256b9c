/** The follow page's HTML shell (its script and styles under `base`, /follow/<code>) and the "full" page. */

export function followPage(base: string): string {
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>따라보기 · 쿠버네티스 기초</title>
<link rel="stylesheet" href="${base}/app.css">
<script type="module" src="${base}/app.js"></script>
</head>
<body>
<header class="bar"><span id="status" role="status">연결 중…</span><span id="where"></span></header>
<main>
  <article id="slide" aria-live="polite"></article>
  <section id="demo" hidden>
    <div class="tools">
      <span id="demo-title"></span>
      <button id="smaller" type="button" aria-label="글자 작게">가−</button>
      <button id="larger" type="button" aria-label="글자 크게">가+</button>
    </div>
    <div id="terminal" class="terminal-box"></div>
    <h2>입력한 명령</h2>
    <ol id="commands"></ol>
  </section>
  <section id="recording" hidden>
    <div class="tools"><span>녹화 · 마지막 화면</span></div>
    <div id="rec-terminal" class="terminal-box"></div>
  </section>
</main>
<nav class="pager">
  <button id="prev" type="button">◀ 이전</button>
  <button id="live" type="button">발표 따라가기</button>
  <button id="next" type="button">다음 ▶</button>
</nav>
</body>
</html>
`
}

/** Served with 503 when the follower limit is reached. */
export function fullPage(): string {
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>가득 참</title></head>
<body><h1>따라보기가 가득 찼습니다</h1><p>The follow page is full: too many devices follow this talk. Try again later.</p></body></html>
`
}
