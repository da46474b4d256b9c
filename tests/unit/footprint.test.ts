import { describe, expect, it } from 'vitest'
import { leftovers, ourContainers, sessionGroupName } from '../../server/rehearse/footprint.ts'

const NS = 'k8s-basics-demo'

describe('which containers a demo is answerable for', () => {
  // As `docker ps -a --format '{{.Names}} {{.State}}'` prints them.
  const ps = [
    'k8s-basics-hello running',
    'k8s-basics-old exited',
    `k8s_pay_pay-5d859bbd86-rbsg6_${NS}_097a4d05_0 running`,
    `k8s_POD_pay-5d859bbd86-rwxs2_${NS}_097a4d05_0 exited`,
    `k8s_POD_auth-9557d4b8b-99kz4_${NS}_11aa22bb_0 dead`,
    'k8s_POD_coredns-abc_kube-system_33cc_0 running',
    'someone-elses running',
  ].join('\n')

  it('counts the talk\'s own containers in any state and the kubelet\'s live ones in the demo namespace', () => {
    expect([...ourContainers(ps, NS)].sort()).toEqual([
      'k8s-basics-hello',
      'k8s-basics-old',
      `k8s_pay_pay-5d859bbd86-rbsg6_${NS}_097a4d05_0`,
    ])
  })

  it('leaves the kubelet\'s exited containers of deleted pods to its garbage collection', () => {
    const before = new Map([['container', new Set<string>()]])
    const after = new Map([['container', ourContainers(`k8s_POD_pay-x_${NS}_u_0 exited\n`, NS)]])
    expect(leftovers(before, after)).toEqual([])
    const running = new Map([['container', ourContainers(`k8s_POD_pay-x_${NS}_u_0 running\n`, NS)]])
    expect(leftovers(before, running)).toEqual([`container k8s_POD_pay-x_${NS}_u_0`])
  })
})

describe('which session cgroups are a demo\'s', () => {
  // Containment.create(id) for its shell, `${id}-setup` / `${id}-reset` for its scripts, each with 8 hex digits.
  it('its shell\'s and its scripts\' groups, not those of a demo whose id starts the same', () => {
    const own = sessionGroupName('k8s-deploy')
    expect(['k8s-deploy-1a2b3c4d', 'k8s-deploy-setup-00ff00ff', 'k8s-deploy-reset-deadbeef'].every(n => own.test(n))).toBe(true)
    expect(['k8s-deploy2-1a2b3c4d', 'k8s-deploy-extra-1a2b3c4d', 'k8s-scaling-1a2b3c4d', 'k8s-deploy-1a2b'].some(n => own.test(n))).toBe(false)
  })
})
