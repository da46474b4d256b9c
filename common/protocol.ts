/**
 * The wire protocol between LiveTerminal (browser) and the bridge (server).
 *
 * - Binary frames server → client carry raw pty output bytes (never decoded on the server,
 *   so a UTF-8 sequence split across reads is reassembled by xterm, not replaced by U+FFFD).
 * - Text frames carry one JSON message each, in both directions.
 * - The first client frame must be `hello` with the per-run token; anything else closes 1008.
 */
import { z } from 'zod'

export const PROTOCOL_VERSION = 1
/** The WebSocket endpoint; Vite's own HMR socket is untouched. */
export const BRIDGE_PATH = '/__live-terminal'
/** Same-origin GET that hands the page its token. */
export const TOKEN_PATH = '/__live-terminal/token'

/** WebSocket close codes the bridge uses, with the meaning the client shows. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008, // bad or missing token, bad first frame, unknown demo
  tooBig: 1009,
  serverError: 1011,
  tryLater: 1013, // session limit reached
} as const

export const roleSchema = z.enum(['control', 'watch'])
export type Role = z.infer<typeof roleSchema>

/** A demo's folder name under demos/, and all a page may name: lowercase letters, digits and dashes. */
export const DEMO_ID = /^[a-z0-9][a-z0-9-]{0,63}$/

const demoId = z.string().regex(DEMO_ID)

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    v: z.literal(PROTOCOL_VERSION),
    token: z.string().max(256),
    demo: demoId,
    role: roleSchema,
  }),
  z.object({ type: z.literal('input'), data: z.string().max(16384) }),
  /** Bytes the client has finished rendering: drives the server's flow control. */
  z.object({ type: z.literal('ack'), bytes: z.number().int().positive().max(2 ** 31) }),
  /** Type the demo's next scripted step into the shell. */
  z.object({ type: z.literal('step') }),
  /** Run the demo's reset script and start a fresh shell. */
  z.object({ type: z.literal('reset') }),
])
export type ClientMessage = z.infer<typeof clientMessageSchema>

export interface StepInfo { type: string, note?: string }

export type SessionPhase = 'preparing' | 'running' | 'exited' | 'failed'

export type ServerMessage =
  | { type: 'ready', demo: string, title: string, cols: number, rows: number, steps: StepInfo[] }
  /** Broadcast to every window of a session whenever any of it changes. */
  /** `busy`: a step is typing or its command still runs (a `step` sent meanwhile is ignored). */
  | { type: 'state', phase: SessionPhase, nextStep: number, typing: boolean, busy?: boolean, detail?: string, exitCode?: number, unmet?: string[] }
  /** The shell is about to be replaced: clear the screen. */
  | { type: 'reset' }

const stepInfoSchema = z.object({ type: z.string(), note: z.string().optional() })

/** Checked by the client too: a message it does not understand is dropped, never half-used. */
const serverMessageSchema: z.ZodType<ServerMessage> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    demo: z.string(),
    title: z.string(),
    cols: z.number().int().positive(),
    rows: z.number().int().positive(),
    steps: z.array(stepInfoSchema),
  }),
  z.object({
    type: z.literal('state'),
    phase: z.enum(['preparing', 'running', 'exited', 'failed']),
    nextStep: z.number().int().nonnegative(),
    typing: z.boolean(),
    busy: z.boolean().optional(),
    detail: z.string().optional(),
    exitCode: z.number().int().optional(),
    unmet: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('reset') }),
])

export type ParseResult<T> = { ok: true, value: T } | { ok: false, error: string }

/** One text frame, checked against `schema`; the error names the field. */
function parseMessage<T>(schema: z.ZodType<T>, raw: string): ParseResult<T> {
  let json: unknown
  try {
    json = JSON.parse(raw)
  }
  catch {
    return { ok: false, error: 'not JSON' }
  }
  const r = schema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]
    return { ok: false, error: `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}` }
  }
  return { ok: true, value: r.data }
}

export function parseClientMessage(raw: string): ParseResult<ClientMessage> {
  return parseMessage(clientMessageSchema, raw)
}

export function parseServerMessage(raw: string): ServerMessage | undefined {
  const r = parseMessage(serverMessageSchema, raw)
  return r.ok ? r.value : undefined
}

export function encode(m: ClientMessage | ServerMessage): string {
  return JSON.stringify(m)
}
