/**
 * A follower on another machine (run inside a network namespace by the follow tests): opens the
 * follow socket once per entry of `plan`, sends that entry's frames, and reports for each socket
 * whether it opened, how (and whether) the server closed it within `waitMs`, and what it received.
 * argv: url, JSON plan ({ text?: string, binary?: base64, repeat?: n for a big frame }[][]), waitMs.
 */
import WebSocket from 'ws'

interface Frame { text?: string, binary?: string, bigInput?: number }
const [url, planJson, wait] = process.argv.slice(2)
const plan = JSON.parse(planJson!) as Frame[][]
const waitMs = Number(wait ?? 1500)

function run(frames: Frame[]) {
  return new Promise<{ opened: boolean, closedBy: number | null, status?: number, texts: string[], bytes: number, output: string }>((resolve) => {
    const ws = new WebSocket(url!, { perMessageDeflate: false })
    const texts: string[] = []
    let bytes = 0
    const chunks: Buffer[] = []
    const output = () => Buffer.concat(chunks).toString('utf8')
    let opened = false
    const timer = setTimeout(() => {
      ws.terminate()
      resolve({ opened, closedBy: null, texts, bytes, output: output() })
    }, waitMs)
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      resolve({ opened: false, closedBy: null, status: res.statusCode, texts, bytes, output: '' })
    })
    ws.on('error', () => {})
    ws.on('open', () => {
      opened = true
      for (const f of frames) {
        if (f.text !== undefined)
          ws.send(f.text)
        else if (f.binary !== undefined)
          ws.send(Buffer.from(f.binary, 'base64'))
        else if (f.bigInput !== undefined)
          ws.send(JSON.stringify({ type: 'input', data: `${'#'.repeat(f.bigInput)}\r` }))
      }
    })
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        bytes += (data as Buffer).length
        chunks.push(data as Buffer)
      }
      else
        texts.push(data.toString())
    })
    ws.on('close', (code) => {
      clearTimeout(timer)
      resolve({ opened, closedBy: code, texts, bytes, output: output() })
    })
  })
}

const results = []
for (const frames of plan)
  results.push(await run(frames))
console.log(JSON.stringify(results))
