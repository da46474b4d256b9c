/**
 * The schema of `demos/<id>/demo.yaml`, with its defaults: the one statement of what a demo
 * file holds. The server validates whole files against it (server/demos/demos.ts); the deck picks the
 * fields it shows (client/demo-script.ts).
 */
import { z } from 'zod'

export const NEEDS = ['root', 'docker', 'kubectl', 'k8s-images', 'nodes>=2', 'metrics-server', 'cgroup-v1', 'cgroup-v2'] as const
export type Need = typeof NEEDS[number]

const regex = z.string().refine((s) => {
  try {
    void new RegExp(s, 'm')
    return true
  }
  catch {
    return false
  }
}, { message: 'expected a valid regular expression' })

// POSIX paths (the deck runs its demos on Linux and macOS).
const relativeFile = z.string().min(1).refine(s => !s.startsWith('/'), { message: 'expected a path relative to the demo folder' })

export const stepSchema = z.object({
  type: z.string().min(1, 'expected the text to type'),
  expect: regex.optional(),
  timeout: z.number().positive().max(600).default(30),
  /** On screen, this means the step went wrong (the demo's own `fail` when the step has none). */
  fail: regex.optional(),
  /** Typed instead of the step, on the presenter's word, when the step is late or failed. */
  retry: z.string().min(1).optional(),
  /**
   * Ctrl-C once `expect` is on screen, as a presenter ends a watch (`kubectl get … -w`) when it
   * has shown its point, rather than waiting for its `timeout N` bound.
   */
  stopOnExpect: z.boolean().default(false),
  note: z.string().optional(),
}).strict()

export const demoSchema = z.object({
  title: z.string().min(1),
  needs: z.array(z.enum(NEEDS)).default([]),
  commands: z.array(z.string().regex(/^[\w.+-]+$/, 'expected a program name')).default([]),
  shell: z.array(z.string().min(1)).min(1).default(['bash', '--noprofile', '--norc', '-i']),
  cwd: z.string().default('.'),
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name'), z.string()).default({}),
  size: z.object({
    cols: z.number().int().min(20).max(300),
    rows: z.number().int().min(5).max(100),
  }).strict().default({ cols: 90, rows: 20 }),
  prompt: regex.default('\\$ $'),
  typing: z.object({ delayMs: z.number().int().min(0).max(500) }).strict().default({ delayMs: 40 }),
  /** The `fail` of every step that declares none (e.g. `ImagePullBackOff|CrashLoopBackOff`). */
  fail: regex.optional(),
  /**
   * The demo needs the machine and the cluster to itself (k8s-node-failure stops a node): a
   * parallel rehearsal (`npm run rehearse -- --jobs N`) runs it alone, with no other demo running.
   */
  exclusive: z.boolean({ error: 'expected true or false (true: rehearsal runs this demo alone, no other demo beside it)' }).default(false),
  setup: relativeFile.optional(),
  reset: relativeFile.optional(),
  steps: z.array(stepSchema).min(1, 'expected at least one step'),
}).strict()

export type DemoSpec = z.infer<typeof demoSchema>
export type Step = z.infer<typeof stepSchema>
