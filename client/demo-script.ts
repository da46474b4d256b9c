/**
 * The title and steps of every demo, read from demos/<id>/demo.yaml at build time: a demo slide's clicks
 * are its steps, and Slidev needs their number while the slide is set up (print and the static
 * build have no server to ask). The server validates the whole file (server/demos/demos.ts); the deck
 * picks from the same schema only the fields it shows.
 */
import { parse } from 'yaml'
import { z } from 'zod'
import { demoSchema, stepSchema } from '../common/demo-schema.ts'

// Not strict, unlike the schema: the deck ignores the fields it does not show.
const step = stepSchema.shape
const shown = z.object({
  title: demoSchema.shape.title,
  steps: z.array(z.object({ type: step.type, note: step.note, expect: step.expect, retry: step.retry })),
})

export type ShownStep = z.infer<typeof shown>['steps'][number]

const files = import.meta.glob<string>('../demos/*/demo.yaml', { query: '?raw', import: 'default', eager: true })

export function demoScript(demo: string): { title: string, steps: ShownStep[] } {
  const file = `../demos/${demo}/demo.yaml`
  const text = files[file]
  if (text === undefined)
    throw new Error(`<LiveTerminal demo="${demo}">: no demos/${demo}/demo.yaml`)
  const r = shown.safeParse(parse(text))
  if (!r.success)
    throw new Error(`demos/${demo}/demo.yaml: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`)
  return r.data
}
