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
  /** Type the last step's `retry` command in its place (only when it is late or failed). */
  z.object({ type: z.literal('retry') }),
])
export type ClientMessage = z.infer<typeof clientMessageSchema>

const sessionPhaseSchema = z.enum(['preparing', 'running', 'exited', 'failed'])
export type SessionPhase = z.infer<typeof sessionPhaseSchema>

/**
 * The presenter's radar: how one typed step is going, judged on the screen the audience sees.
 * `late`: still not done after twice its rehearsed time; `failed`: its timeout passed, its `fail`
 * pattern is on screen, or its prompt came back without its expected output.
 */
export const stepStatusSchema = z.enum(['typing', 'running', 'done', 'late', 'failed'])
export type StepStatus = z.infer<typeof stepStatusSchema>

const stepRadarSchema = z.object({
  status: stepStatusSchema,
  /** Since its first typed character, when the message was sent (final once done or failed). */
  elapsedMs: z.number().int().nonnegative(),
  /** The step's time in the demo's recording, when it has one. */
  rehearsedMs: z.number().int().nonnegative().optional(),
  /** Late or failed: why, and the last lines of the screen then. */
  why: z.string().optional(),
  lines: z.string().optional(),
})
export type StepRadar = z.infer<typeof stepRadarSchema>

/** Checked by the client too: a message it does not understand is dropped, never half-used. */
const serverMessageSchema = z.discriminatedUnion('type', [
  /** The window has joined: its terminal's fixed size (the steps and title come with the deck). */
  z.object({
    type: z.literal('ready'),
    cols: z.number().int().positive(),
    rows: z.number().int().positive(),
  }),
  /**
   * Broadcast to every window of a session whenever any of it changes. `typing`: a step's
   * characters are being typed; `busy`: a step is typing or its command has not yet given the
   * prompt back (a `step` request meanwhile is ignored). `signal`: the signal that killed the
   * shell (e.g. `SIGKILL`), when one did.
   */
  z.object({
    type: z.literal('state'),
    phase: sessionPhaseSchema,
    nextStep: z.number().int().nonnegative(),
    typing: z.boolean(),
    busy: z.boolean(),
    detail: z.string().optional(),
    exitCode: z.number().int().optional(),
    signal: z.string().optional(),
    unmet: z.array(z.string()).optional(),
    /** One entry per step typed since the last reset, in order. */
    radar: z.array(stepRadarSchema),
  }),
  /** The shell is about to be replaced: clear the screen. */
  z.object({ type: z.literal('reset') }),
  /**
   * To one window: whether it is the one that answers the terminal's queries (DA, DSR, DECRQSS,
   * OSC colours). Every window's xterm.js would answer, and a program reads one reply: the rest
   * would reach the prompt as typed text. Until told, a window answers nothing.
   */
  z.object({ type: z.literal('responder'), responder: z.boolean() }),
  /**
   * The server is alive: sent to each window when it joins and at every heartbeat (browsers
   * cannot see WebSocket pings). A window that hears nothing for two intervals says so.
   */
  z.object({ type: z.literal('beat'), intervalMs: z.number().int().positive() }),
])
export type ServerMessage = z.infer<typeof serverMessageSchema>
/** What a session is doing, as every window is told. */
export type StateMessage = Extract<ServerMessage, { type: 'state' }>
/** The `state` message without its type: what a session reports of itself. */
export type SessionSnapshot = Omit<StateMessage, 'type'>
/** Where the demo's steps are: the step typer's part of a snapshot. */
export type StepState = Pick<SessionSnapshot, 'nextStep' | 'typing' | 'busy' | 'radar'>

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
