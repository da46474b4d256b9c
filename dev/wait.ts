/** Waiting with a bound, for tests and the bench: a wait that runs out fails, naming what it waited for. */
export { setTimeout as sleep } from 'node:timers/promises'

/** `check()`'s first value other than undefined/false, polled every `everyMs`; rejects after `ms`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false)
      return v
    if (Date.now() >= deadline)
      throw new Error(`${what}: not within ${ms} ms`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

/** `p`, or an error naming `what` if it has not settled within `ms` (a test fails, not hangs). */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not happen within ${ms} ms`)), ms)
  })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}
