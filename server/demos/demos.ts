/**
 * Demo definitions: `demos/<id>/demo.yaml`, validated against one schema. A malformed file is
 * refused with its path, the field and what was expected; nothing about it is guessed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'
import { type DemoSpec, demoSchema } from '../../common/demo-schema.ts'
import { DEMO_ID } from '../../common/protocol.ts'

export const DEMOS_DIR = fileURLToPath(new URL('../../demos/', import.meta.url))

export interface Demo extends DemoSpec { id: string, dir: string, file: string }

export class DemoError extends Error {}

/** Loads and validates one demo; throws DemoError naming the file and the field. */
export function loadDemo(id: string, demosDir = DEMOS_DIR): Demo {
  if (!DEMO_ID.test(id))
    throw new DemoError(`"${id}" is not a demo id (lowercase letters, digits and dashes)`)
  const dir = path.join(demosDir, id)
  const file = path.join(dir, 'demo.yaml')
  const shown = path.relative(process.cwd(), file) || file
  if (!existsSync(file))
    throw new DemoError(`${shown}: no such demo (expected ${id}/demo.yaml in ${demosDir})`)
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true })
  if (doc.errors.length > 0)
    throw new DemoError(`${shown}: not valid YAML: ${doc.errors[0]!.message}`)
  const parsed = demoSchema.safeParse(doc.toJS())
  if (!parsed.success) {
    const lines = parsed.error.issues.map(i => `  ${formatPath(i.path) || '(top level)'}: ${i.message}`)
    throw new DemoError(`${shown}: invalid demo file\n${lines.join('\n')}`)
  }
  for (const key of ['setup', 'reset'] as const) {
    const script = parsed.data[key]
    if (script && !existsSync(path.join(dir, script)))
      throw new DemoError(`${shown}: ${key}: file ${script} not found in ${path.relative(process.cwd(), dir) || dir}`)
  }
  return { ...parsed.data, id, dir, file }
}

/**
 * The named demos (every demo when none is named), loaded; each one that does not load is left
 * out and its DemoError message, naming the file and the field, listed in `errors`.
 */
export function loadDemos(ids: readonly string[], demosDir = DEMOS_DIR): { demos: Demo[], errors: string[] } {
  const demos: Demo[] = []
  const errors: string[] = []
  for (const id of ids.length > 0 ? ids : listDemoIds(demosDir)) {
    try {
      demos.push(loadDemo(id, demosDir))
    }
    catch (err) {
      if (!(err instanceof DemoError))
        throw err
      errors.push(err.message)
    }
  }
  return { demos, errors }
}

/** Every demo folder's id, in name order (folders starting with `_` are shared helpers). */
export function listDemoIds(demosDir = DEMOS_DIR): string[] {
  return readdirSync(demosDir)
    .filter(name => !name.startsWith('_') && !name.startsWith('.') && statSync(path.join(demosDir, name)).isDirectory())
    .filter(name => existsSync(path.join(demosDir, name, 'demo.yaml')))
    .sort()
}

function formatPath(p: PropertyKey[]): string {
  return p.reduce<string>((s, k) => typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k), '')
}

/**
 * The namespace a Kubernetes demo works in: `<DEMO_NAMESPACE>-<id without k8s->`, one per demo,
 * so one demo can be prepared while another is on screen and a reset deletes only its own.
 */
export function demoNamespace(suffix: string, base: NodeJS.ProcessEnv = process.env): string {
  return `${base.DEMO_NAMESPACE ?? 'k8s-basics-demo'}-${suffix}`
}

/** The environment every demo's shell and scripts get: small and fixed, then the demo's own. */
export function demoEnv(demo: Demo, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {
    PATH: base.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: base.HOME ?? '/root',
    LANG: base.LANG && /utf-?8/i.test(base.LANG) ? base.LANG : 'C.UTF-8',
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    PS1: '$ ',
    DEMO_ID: demo.id,
    DEMO_DIR: demo.dir,
    DEMO_NAMESPACE: demoNamespace(demo.id.replace(/^k8s-/, ''), base),
    DEMO_REGISTRY: base.DEMO_REGISTRY ?? '',
  }
  for (const k of ['USER', 'LOGNAME', 'KUBECONFIG', 'DOCKER_HOST', 'DEMO_CLUSTER', 'TMPDIR', 'XDG_RUNTIME_DIR'] as const) {
    if (base[k])
      env[k] = base[k]
  }
  return { ...env, ...demo.env }
}

export function demoCwd(demo: Demo): string {
  return path.resolve(demo.dir, demo.cwd)
}
