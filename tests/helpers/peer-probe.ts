import { send } from '../../dev/http.ts'
import type { Probe } from '../../dev/http.ts'
/**
 * Runs probes from wherever it is started (inside a network namespace: another machine on the
 * LAN) and prints their results as JSON. argv: address, port, JSON array of Probe.
 */

const [address, port, probes] = process.argv.slice(2)
const results = []
for (const p of JSON.parse(probes!) as Probe[])
  results.push(await send(address!, Number(port), p).catch((err: Error) => ({ status: -1, body: err.message, headers: {} })))
console.log(JSON.stringify(results))
