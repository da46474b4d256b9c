// Runs once per deck window: demos ahead of the presenter are prepared in the background.
import { usePrepareAhead } from '../client/prepare-ahead.ts'

export default function setupRoot(): void {
  usePrepareAhead()
}
