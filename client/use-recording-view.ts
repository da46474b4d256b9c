/**
 * The recorded side of a LiveTerminal: the rehearsed run at the slide's current step. In
 * 'playback' (static build, on-stage fallback) a click forward plays that one step with its
 * recorded timing, so the talk goes on where it was; any other change shows the step at once.
 */
import type { Ref } from 'vue'
import type { Cast } from '../common/asciicast.ts'
import type { DeckTerminal } from './terminal.ts'
import type { View } from './use-terminal-view.ts'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import { noRecordingScreen } from './labels.ts'
import { castDuration, loadRecording, playStep, showScreenAt } from './recording.ts'
import { isConnected } from './use-terminal-view.ts'

export function useRecordingView(demo: string, view: Ref<View>, clicked: Ref<number>, ensure: (cols: number, rows: number) => DeckTerminal) {
  const cast = shallowRef<Cast>()
  const status = ref<'recording' | 'no-recording'>('recording')
  let stop: (() => void) | undefined
  // Loaded up front: the presenter's panel compares the live run with the recording's length.
  const loading = loadRecording(demo).then(c => (cast.value = c))

  async function show(steps: number, previous: number | undefined) {
    stop?.()
    stop = undefined
    await loading
    if (isConnected(view.value))
      return
    if (!cast.value) {
      status.value = 'no-recording'
      const t = ensure(80, 8)
      t.term.reset()
      t.term.write(noRecordingScreen(demo))
      return
    }
    status.value = 'recording'
    const t = ensure(cast.value.header.width, cast.value.header.height)
    if (view.value === 'playback' && previous === steps - 1)
      stop = playStep(t.term, cast.value, steps)
    else
      await showScreenAt(t.term, cast.value, steps)
  }

  watch([view, clicked], ([v, steps], [oldView, oldSteps]) => {
    if (isConnected(v)) {
      stop?.()
      stop = undefined
    }
    else {
      void show(steps, oldView === v ? oldSteps : undefined)
    }
  }, { immediate: true })
  onScopeDispose(() => stop?.())

  return { status, duration: computed(() => (cast.value ? castDuration(cast.value) : undefined)) }
}
