/** doctor's line for DEMO_HOST: where the root demos run here, and whether that can work. */
import type { DoctorLine } from '../machine/check-result.ts'
import { checkNeed } from '../demos/needs.ts'
import { run } from '../machine/command.ts'
import { DEMO_HOST_IMAGE } from '../demo-host/image.ts'
import { DemoHostSettingError, placement } from '../demo-host/placement.ts'

export async function demoHostLine(): Promise<DoctorLine> {
  const name = 'demo host (DEMO_HOST)'
  let where
  try {
    where = placement({ needs: ['root'] })
  }
  catch (err) {
    if (!(err instanceof DemoHostSettingError))
      throw err
    return { name, ok: false, detail: err.message, fix: 'DEMO_HOST=auto (the default), host or container' }
  }
  if (where.where === 'host')
    return { name, ok: true, detail: `the root demos run on this machine (${where.why}; DEMO_HOST=container runs them in a privileged container)` }
  const docker = await checkNeed('docker')
  if (!docker.ok)
    return { name, ok: false, detail: `the root demos run in a privileged container (${where.why}), which needs Docker: ${docker.detail}`, fix: docker.fix }
  const built = (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', DEMO_HOST_IMAGE])).ok
  return { name, ok: true, detail: `the root demos run in a privileged container (${where.why}); image ${DEMO_HOST_IMAGE} ${built ? 'built' : 'not built yet: the first such demo builds it from this machine\'s programs'}` }
}
