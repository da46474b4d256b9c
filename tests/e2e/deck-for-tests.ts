/**
 * Playwright's global setup: the deck under test, a real `slidev` dev server on DECK_PORT
 * (dev/slidev.ts, the way the other tests and the bench start it), its output shown as the run
 * goes; stopped (its process group) when the run ends.
 */
import { fileURLToPath } from 'node:url'
import { startSlidev } from '../../dev/slidev.ts'
import { DECK_ENV, DECK_PORT } from '../../playwright.config.ts'

export default async function deckForTests(): Promise<() => Promise<void>> {
  // Vite would move to the next port: the tests would then talk to whatever holds this one.
  if (await fetch(`http://127.0.0.1:${DECK_PORT}/`).then(() => true, () => false))
    throw new Error(`port ${DECK_PORT} is taken: stop what listens there, or set DECK_PORT`)
  const slidev = await startSlidev({
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    port: DECK_PORT,
    args: ['--bind', '127.0.0.1'],
    env: { ...process.env, ...DECK_ENV },
  })
  slidev.proc.stdout!.on('data', (c: Buffer) => process.stdout.write(`[deck] ${c}`))
  slidev.proc.stderr!.on('data', (c: Buffer) => process.stdout.write(`[deck] ${c}`))
  await slidev.ready('127.0.0.1', 120_000)
  return () => slidev.stop()
}
