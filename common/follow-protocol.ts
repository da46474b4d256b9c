/**
 * The follow protocol: what the deck's follow endpoint sends to the audience's phones. It only
 * goes one way, server → follower; a follower that sends any frame is disconnected.
 *
 * - Binary frames: raw output bytes of the demo on the presenter's current slide.
 * - Text frames: one JSON `FollowMessage` each.
 */

/** Where the follow page lives on the follow listener: `/follow/<code>`. */
export const FOLLOW_PREFIX = '/follow/'
/** The deck's loopback endpoint that tells the presenter's own page the follow URL (and its QR code). */
export const FOLLOW_INFO_PATH = '/__live-terminal/follow'

/** One slide as a follower sees it: title and text (never the presenter's notes). */
export interface FollowSlide {
  no: number
  title: string
  /** The slide's text as HTML built from escaped text only (no markup of the deck's own). */
  html: string
  /** The demo this slide runs, when it is a demo slide. */
  demo?: string
}

export type FollowMessage =
  /** The presenter's slide (1-based) and click. */
  | { type: 'slide', page: number, clicks: number }
  /**
   * The demo now on screen (or none): the terminal is cleared; its screen follows as binary
   * frames. `live`: its session runs (else the page shows the demo's recording).
   */
  | { type: 'demo', demo: string | null, live: boolean, title?: string, cols?: number, rows?: number }
  /** The commands of the current demo typed so far (its scripted steps). */
  | { type: 'commands', demo: string, commands: string[] }
  /** The screen starts over (the demo was reset, or this follower was resynchronised). */
  | { type: 'reset' }
  /** The server is alive. */
  | { type: 'beat' }

/** The follower's side of the info endpoint's answer. */
export interface FollowInfo { on: boolean, urls?: string[], qr?: string }
