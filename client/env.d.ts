/** Defined by Slidev: false in `slidev build` (a static site with no server behind it). */
declare const __SLIDEV_HAS_SERVER__: boolean
