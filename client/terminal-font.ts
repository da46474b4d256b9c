/**
 * The terminal's font, one rule for the deck's terminals (terminal.ts) and the follow page
 * (follow/main.ts): Nanum Gothic Coding (bundled, served by the deck) draws Hangul exactly two
 * Latin cells wide; other mono fonts fall back for Hangul to a narrower glyph, which reads as
 * "안 녕 하 세 요".
 */
export const TERMINAL_FONT = '"Nanum Gothic Coding", "Noto Sans Mono", monospace'
