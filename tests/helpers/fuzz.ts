/** Random and malformed bridge frames for the fuzz tests, reproducible from a seed. */
import { encode, PROTOCOL_VERSION } from '../../common/protocol.ts'

/** A small seeded PRNG, so a failing fuzz run can be replayed (the seed is in the test name). */
export function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The run's seed: FUZZ_SEED replays another. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20_260_517)

/** One frame a confused or hostile window might send: valid, truncated, oversized, deeply nested, binary noise. */
export function fuzzFrame(rand: () => number): string | Buffer {
  const int = (n: number) => Math.floor(rand() * n)
  const pick = <T>(xs: T[]) => xs[int(xs.length)]!
  const str = (n: number) => Array.from({ length: int(n) }, () => String.fromCodePoint(pick([int(0x80), 0x20 + int(0x5F), 0xAC00 + int(100), 0x1F600 + int(50), 0x2500 + int(0x80)]))).join('')
  const valid = (): object => pick([
    { type: 'input', data: str(40) },
    { type: 'ack', bytes: 1 + int(100_000) },
    { type: 'hello', v: PROTOCOL_VERSION, token: str(50), demo: pick(['cat', 'shell', '../x', 'no-such']), role: pick(['control', 'watch', 'root']) },
    { type: 'step' },
  ])
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
  switch (int(10)) {
    case 0: return Buffer.from(Array.from({ length: int(2000) }, () => int(256)))
    case 1: { const s = encode(valid() as never); return s.slice(0, int(s.length)) }
    case 2: return JSON.stringify({ type: str(12), [str(6)]: str(20) })
    case 3: return JSON.stringify({ ...valid(), bytes: pick([1e308, -1e308, 2 ** 64, -0, Number.MAX_SAFE_INTEGER + 2, 0.000001]) })
    case 4: return pick([deep(1 + int(5000)), `{"type":"input","data":${deep(1 + int(3000))}}`, `${'{"a":'.repeat(1 + int(2000))}1${'}'.repeat(int(2000))}`])
    case 5: return JSON.stringify(valid())
    case 6: return `{"type":"ack","bytes":${pick(['1e999', '-1e999', '99999999999999999999999', '0x10', '1_000', 'NaN'])}}`
    case 7: return JSON.stringify({ type: pick(['resize', 'input', 'ack', 'hello', 'reset', 'step']), cols: int(1e9) - 5e8, rows: str(3), data: pick([null, 1, [], {}, str(10)]) })
    case 8: return str(200)
    default: return JSON.stringify(Array.from({ length: int(50) }, () => valid()))
  }
}
