// Bundled fonts: every glyph comes from node_modules, no request leaves the machine.
// (slides.md sets `fonts: { provider: none }`, so Slidev adds no web-font <link>.)
import '@fontsource/noto-sans-kr/300.css'
import '@fontsource/noto-sans-kr/400.css'
import '@fontsource/noto-sans-kr/500.css'
import '@fontsource/noto-sans-kr/700.css'
import '@fontsource/noto-sans-mono/400.css'
import '@fontsource/noto-sans-mono/700.css'

import './deck.css'
import './diagrams.css'
import './loop-and-path.css'
