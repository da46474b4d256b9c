/**
 * Follow mode's settings. `npm start -- --follow [--bind <address>]` is turned into the
 * environment by cli-flags.ts (by the rule of flags.ts) before Slidev's own (strict) argument
 * parser runs; tests and other starters set the environment directly:
 * - LT_FOLLOW=1: follow mode on (off by default)
 * - LT_FOLLOW_BIND: the address the follow listener binds (default every interface, 0.0.0.0)
 * - LT_FOLLOW_PORT: its port (default followPort(the deck's port), flags.ts; 0 picks a free one)
 * - LT_FOLLOW_MAX: the follower limit (default 500)
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { followPort } from './flags.ts'

export interface FollowSettings { host: string, port: number, maxFollowers: number, code: string }

export function followSettings(deckPort: number, env: NodeJS.ProcessEnv = process.env): FollowSettings | undefined {
  if (env.LT_FOLLOW !== '1')
    return undefined
  const int = (v: string | undefined, fallback: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback)
  return {
    host: env.LT_FOLLOW_BIND || '0.0.0.0',
    port: int(env.LT_FOLLOW_PORT, followPort(deckPort)),
    maxFollowers: Math.max(1, int(env.LT_FOLLOW_MAX, 500)),
    // Lowercase letters and digits: the path rule lowercases, and it is typed from a screen at worst.
    code: randomBytes(8).toString('hex'),
  }
}

/** The follow page's addresses: one per IPv4 address of this machine when bound to every interface. */
export function followUrls(host: string, port: number, code: string): string[] {
  const hosts = host === '0.0.0.0' || host === '::'
    ? Object.values(os.networkInterfaces()).flat().filter(a => a && a.family === 'IPv4' && !a.internal).map(a => a!.address)
    : [host.includes(':') ? `[${host}]` : host]
  return (hosts.length > 0 ? hosts : ['127.0.0.1']).map(h => `http://${h}:${port}/follow/${code}`)
}
