/**
 * The baseline: the least a live terminal can do. node-pty piped straight to a WebSocket, no
 * token, no sessions, no scrollback, no JSON for output, no flow control. Keystrokes arrive as
 * text frames and are written to the pty as they are. Same shell, cwd and environment as the
 * deck's `shell` demo, so the only difference measured is the bridge.
 */
import type { AddressInfo } from 'node:net'
import http from 'node:http'
import pty from 'node-pty'
import { WebSocketServer } from 'ws'
import { demoCwd, demoEnv, loadDemo } from '../server/demos/demos.ts'

export interface RawBridge {
  port: number
  close: () => Promise<void>
}

export async function startRawBridge(demoId = 'shell'): Promise<RawBridge> {
  const demo = loadDemo(demoId)
  const server = http.createServer((_req, res) => res.writeHead(404).end())
  const wss = new WebSocketServer({ server, perMessageDeflate: false })
  const ptys = new Set<pty.IPty>()
  wss.on('connection', (ws) => {
    const [file, ...args] = demo.shell
    const p = pty.spawn(file!, args, {
      name: 'xterm-256color',
      cols: demo.size.cols,
      rows: demo.size.rows,
      cwd: demoCwd(demo),
      env: demoEnv(demo),
      encoding: null,
    })
    ptys.add(p)
    p.onData((data: string | Buffer) => ws.send(data, { binary: true }))
    p.onExit(() => {
      ptys.delete(p)
      ws.close()
    })
    ws.on('message', (data, isBinary) => {
      if (!isBinary)
        p.write(data.toString())
    })
    ws.on('close', () => p.kill('SIGHUP'))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const p of ptys)
        p.kill('SIGKILL')
      for (const ws of wss.clients)
        ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise(r => server.close(r))
    },
  }
}
