/**
 * The one rule for where a demo runs: on this machine, or in the demo host (a privileged
 * container on the presenter's Docker engine, container.ts). Only a demo that needs `root` (a
 * Linux kernel's namespaces, cgroups and mounts, as root) can move; every other demo runs here,
 * where the presenter's docker and kubectl are. `DEMO_HOST` chooses: `host`, `container`, or
 * `auto` (the default): the container when this machine is not Linux or the deck is not root,
 * since then the host cannot run the demo at all.
 */
import { z } from 'zod'
import type { Need } from '../../common/demo-schema.ts'

export const DEMO_HOST_SETTINGS = ['auto', 'host', 'container'] as const
export type DemoHostSetting = typeof DEMO_HOST_SETTINGS[number]

const settingSchema = z.enum(DEMO_HOST_SETTINGS, { error: `expected ${DEMO_HOST_SETTINGS.join(', ')}` }).default('auto')

export class DemoHostSettingError extends Error {}

/** `DEMO_HOST` from the environment; a value that is none of the three is refused, not guessed. */
export function demoHostSetting(env: NodeJS.ProcessEnv = process.env): DemoHostSetting {
  const raw = env.DEMO_HOST === '' ? undefined : env.DEMO_HOST
  const parsed = settingSchema.safeParse(raw)
  if (!parsed.success)
    throw new DemoHostSettingError(`DEMO_HOST=${raw}: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

/** What the rule looks at: the setting and this machine. */
export interface Machine { setting: DemoHostSetting, platform: NodeJS.Platform, uid: number | undefined }

export function thisMachine(env: NodeJS.ProcessEnv = process.env): Machine {
  return { setting: demoHostSetting(env), platform: process.platform, uid: process.getuid?.() }
}

export interface Placement { where: 'host' | 'container', why: string }

export function placement(demo: { needs: readonly Need[] }, machine?: Machine): Placement {
  if (!demo.needs.includes('root'))
    return { where: 'host', why: 'needs no root' }
  const m = machine ?? thisMachine()
  if (m.setting !== 'auto')
    return { where: m.setting, why: `DEMO_HOST=${m.setting}` }
  if (m.platform !== 'linux')
    return { where: 'container', why: `DEMO_HOST=auto: no Linux kernel here (${m.platform})` }
  if (m.uid !== 0)
    return { where: 'container', why: `DEMO_HOST=auto: the deck is not root (uid ${m.uid})` }
  return { where: 'host', why: 'DEMO_HOST=auto: root on Linux' }
}
