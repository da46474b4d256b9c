/**
 * Polling with a bound: the one way the server, the tests and the bench wait for a condition.
 * No Node imports: common/ is browser code too.
 */

/** Resolves when `check()` holds or `ms` passed; returns whether it held. */
export async function pollUntil(check: () => boolean, ms: number, everyMs = 25): Promise<boolean> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() >= end)
      return false
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
  return true
}
