/**
 * The xterm.js terminal of one LiveTerminal: created on first use at the grid it must show,
 * refitted when the element or the slide's scale changes, disposed with the component.
 */
import type { Ref } from 'vue'
import type { DeckTerminal } from './terminal.ts'
import { createEventHook, useResizeObserver } from '@vueuse/core'
import { onScopeDispose, shallowRef, watch } from 'vue'
import { onTerminalData } from './terminal-input.ts'
import { createTerminal } from './terminal.ts'

export function useDeckTerminal(screen: Ref<HTMLElement | undefined>, scale: Ref<number>) {
  const terminal = shallowRef<DeckTerminal>()
  /** What the terminal sends; `reply` when it answers a program's query rather than the user typing. */
  const input = createEventHook<[data: string, reply: boolean]>()

  /** The terminal at this grid; `interactive` lets keystrokes through and blinks the cursor. */
  function ensure(cols: number, rows: number, opts: { interactive: boolean, webgl: boolean }): DeckTerminal {
    if (!terminal.value) {
      // WebGL only where it pays: a deck mounts every slide, and browsers cap WebGL contexts.
      terminal.value = createTerminal(screen.value!, { cols, rows, ...opts })
      onTerminalData(terminal.value.term, (data, reply) => void input.trigger(data, reply))
    }
    terminal.value.term.options.disableStdin = !opts.interactive
    terminal.value.setGrid(cols, rows)
    return terminal.value
  }

  watch(scale, () => requestAnimationFrame(() => terminal.value?.refit()))
  useResizeObserver(screen, () => terminal.value?.refit())
  onScopeDispose(() => terminal.value?.dispose())
  return { terminal, ensure, onInput: input.on }
}
