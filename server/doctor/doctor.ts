/**
 * doctor: what this machine has and lacks for the talk, one line per check, each ✗ with its fix.
 */
import type { DoctorLine } from '../machine/check-result.ts'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { RECORDING_FILE } from '../../common/asciicast.ts'
import { cleanupCheck } from '../containment/cgroup.ts'
import { clusterImageLines, imagePath } from '../demos/cluster-checks.ts'
import { DemoError, DEMOS_DIR, listDemoIds, loadDemo } from '../demos/demos.ts'
import { run } from '../machine/command.ts'
import { cgroupVersion, checkNeed, onPath, unmetNeeds } from '../demos/needs.ts'
import { platformChecks } from './platform-checks.ts'
import { demoHostLine } from './demo-host-line.ts'
import { DemoHostSettingError, placement } from '../demo-host/placement.ts'

/** Images the Kubernetes demos deploy, read from their manifests. */
function k8sImages(): string[] {
  const dir = path.join(DEMOS_DIR, '_k8s', 'manifests')
  if (!existsSync(dir))
    return []
  const images = new Set<string>()
  for (const f of readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/^\s*image:\s*(\S+)/gm))
      images.add(m[1]!)
  }
  return [...images].sort()
}

async function machineChecks(): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = await platformChecks()
  const linux = process.platform === 'linux'
  lines.push({ name: 'Linux', ok: linux, detail: process.platform, fix: linux ? undefined : 'the container demos need a Linux kernel (namespaces, cgroups): use a Linux machine or VM' })
  lines.push({ name: 'root', ...await checkNeed('root') })
  lines.push(await demoHostLine())
  const unshare = onPath('unshare')
  lines.push({ name: 'unshare', ok: !!unshare, detail: unshare ?? 'not found', fix: 'install util-linux (Debian: apt-get install util-linux)' })
  const cg = cgroupVersion()
  lines.push({ name: 'cgroups', ok: cg !== undefined, detail: cg ? `cgroup v${cg}` : '/sys/fs/cgroup not mounted', fix: 'mount cgroups (a normal systemd Linux has them)' })
  lines.push({ name: 'session cleanup', optional: true, ...cleanupCheck() })
  lines.push({ name: 'Docker', ...await checkNeed('docker') })
  const kubectl = onPath('kubectl')
  lines.push({ name: 'kubectl', ok: !!kubectl, detail: kubectl ?? 'not found', fix: 'install kubectl: https://kubernetes.io/docs/tasks/tools/' })
  if (kubectl) {
    lines.push({ name: 'cluster', ...await checkNeed('kubectl') })
    lines.push({ name: 'metrics-server', optional: true, ...await checkNeed('metrics-server') })
    if ((await checkNeed('kubectl')).ok)
      lines.push(...await clusterImageLines())
  }
  const images = k8sImages()
  if (images.length > 0 && (await checkNeed('docker')).ok) {
    const missing: string[] = []
    for (const image of images) {
      if (!(await run('docker', ['image', 'inspect', '--format', '{{.Id}}', image])).ok)
        missing.push(image)
    }
    const kind = (await imagePath()).kind
    const how = kind === 'local' || kind === undefined
      ? ''
      : kind === 'registry' ? `, pushed to ${process.env.DEMO_REGISTRY} by setup` : `, loaded into ${kind} by setup`
    lines.push(missing.length === 0
      ? { name: 'demo images', ok: true, detail: `${images.length} images built${how}` }
      : { name: 'demo images', ok: false, optional: true, detail: `not built yet: ${missing.join(', ')}`, fix: 'built automatically by each Kubernetes demo\'s setup; to build them now: bash demos/_k8s/images.sh' })
  }
  return lines
}

async function demoChecks(): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = []
  for (const id of listDemoIds()) {
    try {
      const demo = loadDemo(id)
      const unmet = await unmetNeeds(demo)
      const recorded = existsSync(path.join(demo.dir, RECORDING_FILE))
      const p = placement(demo)
      const where = p.where === 'container' ? `in the demo host container (${p.why})` : `on this machine (${p.why})`
      lines.push(unmet.length === 0
        ? { name: `demo ${id}`, ok: true, detail: `ready, ${where}${recorded ? '' : ' (no recording yet: npm run rehearse -- ' + id + ')'}` }
        : { name: `demo ${id}`, ok: false, detail: `needs ${unmet.map(u => u.need).join(', ')}, ${where}${recorded ? '; its slide shows the recording' : ''}`, fix: unmet.map(u => u.fix).filter(Boolean).join('; ') })
    }
    catch (err) {
      if (err instanceof DemoHostSettingError) {
        lines.push({ name: `demo ${id}`, ok: false, detail: err.message, fix: 'DEMO_HOST=auto, host or container' })
        continue
      }
      if (!(err instanceof DemoError))
        throw err
      lines.push({ name: `demo ${id}`, ok: false, detail: err.message, fix: 'fix the demo file (see demos/README.md)' })
    }
  }
  return lines
}

export async function doctor(): Promise<{ machine: DoctorLine[], demos: DoctorLine[] }> {
  return { machine: await machineChecks(), demos: await demoChecks() }
}
