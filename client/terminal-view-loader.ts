/** The terminal's code (xterm.js and the view), fetched once: by a terminal slide or ahead of it. */
import type { Component } from 'vue'

let loading: Promise<Component> | undefined

export function loadTerminalView(): Promise<Component> {
  loading ??= import('./LiveTerminalView.vue').then(m => m.default, (err: unknown) => {
    loading = undefined // a failed fetch is tried again by the next caller
    throw err
  })
  return loading
}
