/**
 * Which window of a session answers the terminal's queries. A program that asks (DA `\e[c`,
 * DSR, DECRQSS, an OSC colour) reads one reply, but every control window's xterm.js answers:
 * with the projector and the presenter open, the second reply reaches the prompt as typed text
 * (`1;2c`). So exactly one window answers: the control window that joined first, for as long as
 * it stays; when it leaves, the control window that joined next. Watch windows never answer
 * (nothing they send reaches the shell). Each window is told its part when it joins and when it
 * changes; a window never told answers nothing.
 */
import type { Viewer } from './output-stream.ts'

export class Responders {
  /** Control windows, in the order they joined: the first one answers. */
  private readonly windows: Viewer[] = []

  join(viewer: Viewer): void {
    if (viewer.role !== 'control' || this.windows.includes(viewer))
      return
    this.windows.push(viewer)
    viewer.message({ type: 'responder', responder: this.windows.length === 1 })
  }

  leave(viewer: Viewer): void {
    const i = this.windows.indexOf(viewer)
    if (i < 0)
      return
    this.windows.splice(i, 1)
    if (i === 0)
      this.windows[0]?.message({ type: 'responder', responder: true })
  }
}
