/**
 * How a client acknowledges rendered output (the server's flow control counts these bytes):
 * in batches, so a flood costs one ack per 8 KiB rather than one per frame, and never later
 * than 30 ms, so a trickle (typing) still releases the server promptly.
 */
export const ACK_BATCH_BYTES = 8 * 1024
export const ACK_DELAY_MS = 30

export interface AckBatcher {
  /** `n` more bytes have been rendered. */
  rendered: (n: number) => void
  /** Sends what is pending now. */
  flush: () => void
  /** Forgets what is pending (the socket is gone: its server no longer counts it). */
  drop: () => void
}

/** `send` is called with the byte count of one ack message; it decides whether the socket can take it. */
export function ackBatcher(send: (bytes: number) => void): AckBatcher {
  let pending = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const drop = () => {
    clearTimeout(timer)
    timer = undefined
    pending = 0
  }
  const flush = () => {
    const bytes = pending
    drop()
    if (bytes > 0)
      send(bytes)
  }
  return {
    rendered(n) {
      pending += n
      if (pending >= ACK_BATCH_BYTES)
        flush()
      else
        timer ??= setTimeout(flush, ACK_DELAY_MS)
    },
    flush,
    drop,
  }
}
