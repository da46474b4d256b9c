/**
 * The demo's scripted steps, typed into the shell at the demo's pace (like demo-magic). A step
 * is busy from its first character until the shell shows its prompt again after the Enter (or
 * the step's timeout passes): a new step is not typed while one is busy, so two quick clicks
 * never interleave.
 */
import type { StepState } from '../../common/protocol.ts'
import type { Demo } from '../demos/demos.ts'
import type { Shell } from './shell.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import { stripVTControlCharacters } from 'node:util'

const TAIL_CHARS = 4096

/** What the shell's last lines say: escape sequences, carriage returns and other controls gone. */
const plain = (s: string) => stripVTControlCharacters(s).replace(/[^\n]*\r(?!\n)/g, '').replace(/[\x00-\x08\x0B-\x1F\x7F]/g, '')

export class StepTyper {
  private next = 0
  private typing = false
  private busy = false
  private readonly prompt: RegExp
  /** Plain text the shell printed since the Enter of the busy step (undefined: not watching). */
  private tail: string | undefined
  private decoder = new TextDecoder()
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly demo: Demo, private readonly delayMs: number, private readonly changed: () => void) {
    this.prompt = new RegExp(demo.prompt)
  }

  get state(): StepState {
    return { nextStep: this.next, typing: this.typing, busy: this.busy }
  }

  /** The shell's output: ends a busy step once the prompt is back. */
  output(bytes: Uint8Array): void {
    if (this.tail === undefined)
      return
    this.tail = (this.tail + this.decoder.decode(bytes, { stream: true })).slice(-TAIL_CHARS)
    // What the command printed starts after the echo of the typed line.
    const nl = this.tail.indexOf('\n')
    if (nl >= 0 && this.prompt.test(plain(this.tail.slice(nl + 1)).replace(/\n+$/, '')))
      this.idle()
  }

  /** Types the next step, then Enter; does nothing while a step is busy or none is left. */
  async type(shell: Shell): Promise<void> {
    const step = this.demo.steps[this.next]
    if (!step || this.busy)
      return
    this.busy = true
    this.typing = true
    this.changed()
    for (const ch of step.type) {
      if (shell.signal.aborted)
        return this.idle()
      shell.write(ch)
      if (this.delayMs > 0)
        await sleep(this.delayMs)
    }
    if (shell.signal.aborted)
      return this.idle()
    this.tail = ''
    this.decoder = new TextDecoder()
    shell.write('\r')
    this.typing = false
    this.next++
    this.timer = setTimeout(() => this.idle(), step.timeout * 1000)
    this.timer.unref()
    this.changed()
  }

  /** Back to the first step (a fresh shell). */
  rewind(): void {
    this.next = 0
    this.idle()
  }

  /** No step in progress any more (the prompt is back, the time is up, or the shell is gone). */
  idle(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.tail = undefined
    if (this.typing || this.busy) {
      this.typing = false
      this.busy = false
      this.changed()
    }
  }
}
