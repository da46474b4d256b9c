/**
 * Followers for the follow bench, in a process of their own (so their work is not the bench's):
 * argv port, code, count, report file. Opens `count` follow sockets on 127.0.0.1, prints `READY`,
 * and records when each follower first sees each marker `M<4 digits>` in its output (epoch ms,
 * sub-ms). On a line `report` on stdin it writes `{"marks":{"M0001":[t, …]}, "followers":n}` to
 * the report file and prints `REPORTED`.
 */
import { writeFileSync } from 'node:fs'
import WebSocket from 'ws'

const [port, code, countArg, reportFile] = process.argv.slice(2)
const count = Number(countArg)
const epoch = () => performance.timeOrigin + performance.now()
const marks = new Map<string, number[]>()
let open = 0

function follower(): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/follow/${code}/live`, { perMessageDeflate: false })
    const seen = new Set<string>()
    let tail = ''
    ws.on('open', () => {
      open++
      resolve()
    })
    ws.on('error', reject)
    ws.on('close', () => open--)
    ws.on('message', (data, isBinary) => {
      if (!isBinary)
        return
      const t = epoch()
      tail = (tail + (data as Buffer).toString('latin1')).slice(-64)
      for (const m of tail.matchAll(/M\d{4}/g)) {
        if (!seen.has(m[0])) {
          seen.add(m[0])
          let list = marks.get(m[0])
          if (!list)
            marks.set(m[0], list = [])
          list.push(t)
        }
      }
    })
  })
}

for (let i = 0; i < count; i += 50)
  await Promise.all(Array.from({ length: Math.min(50, count - i) }, follower))
console.log('READY')
process.stdin.setEncoding('utf8')
process.stdin.on('data', (line: string) => {
  if (line.includes('report')) {
    writeFileSync(reportFile!, JSON.stringify({ marks: Object.fromEntries(marks), followers: open }))
    console.log('REPORTED')
  }
})
process.stdin.on('end', () => process.exit(0))
