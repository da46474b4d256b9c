/**
 * The naive bridge: a terminal server the way comparable tools were first written, speaking our
 * protocol but with none of our bridge's defences. Every security test must fail against it
 * (`npm run test:naive`); a test that passes here cannot catch the failure it names.
 *
 * Each known failure it reproduces, on purpose:
 * - listens beyond 127.0.0.1 (here on 127.0.0.2 and ::1 as well: a wildcard bind, kept on
 *   loopback so that running these tests exposes no shell to the network); no Host allow-list;
 *   any Origin (or none); CORS `*` on the token
 * - the token is handed out but never checked; any first frame is accepted; frames are trusted
 *   JSON (a resize message passes the page's numbers to the pty)
 * - a pty per socket, spawned on any hello; no session limit, no sharing between windows
 * - ws defaults: 100 MiB frames, no heartbeat, no hello timeout
 * - output decoded chunk by chunk (a character split across reads becomes U+FFFD)
 * - no flow control (acks ignored); watch windows may type
 * - steps typed on timers and resets run without regard to each other or to the shell exiting
 * - close sends SIGHUP to the shell only; shutdown kills the shells it has, then closes the
 *   sockets gracefully (frames still arriving are served); no signal handling
 */
import type { AddressInfo } from 'node:net'
import type { IPty } from 'node-pty'
import type { WebSocket } from 'ws'
import type { Role, SessionPhase } from '../../common/protocol.ts'
import type { BridgeOptions } from '../../server/bridge/bridge.ts'
import type { Demo } from '../../server/demos/demos.ts'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import pty from 'node-pty'
import { WebSocketServer } from 'ws'
import { CloseCode, encode, TOKEN_PATH } from '../../common/protocol.ts'
import { demoCwd, demoEnv, loadDemo } from '../../server/demos/demos.ts'

/** Every process the naive bridge starts carries NAIVE_TAG=<run>, so its leaks can be cleaned up. */
export const NAIVE_TAG = 'LT_NAIVE'

interface Shell { demo: Demo, pty: IPty, ws: WebSocket, role: Role }

export async function startNaive(options: BridgeOptions = {}) {
  const token = randomBytes(16).toString('hex')
  const run = process.env[NAIVE_TAG] ?? token
  const shells = new Set<Shell>()
  const wss = new WebSocketServer({ noServer: true })
  const servers = ['127.0.0.1', '127.0.0.2', '::1'].map((address) => {
    const server = http.createServer((req, res) => {
      if (req.url === TOKEN_PATH)
        return res.writeHead(200, { 'access-control-allow-origin': '*' }).end(JSON.stringify({ token }))
      res.writeHead(404).end('not found')
    })
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, ws => wss.emit('connection', ws, req)))
    return { address, server }
  })

  wss.on('connection', (ws) => {
    let shell: Shell | undefined
    let next = 0
    const state = (phase: SessionPhase, exitCode?: number) => {
      if (ws.readyState === ws.OPEN)
        ws.send(encode({ type: 'state', phase, nextStep: next, typing: false, busy: false, radar: [], exitCode }))
    }
    const spawn = (demo: Demo, role: Role): Shell => {
      const p = pty.spawn(demo.shell[0]!, demo.shell.slice(1), {
        cols: demo.size.cols,
        rows: demo.size.rows,
        cwd: demoCwd(demo),
        env: { ...demoEnv(demo), [NAIVE_TAG]: run },
        encoding: null,
      })
      const s: Shell = { demo, pty: p, ws, role }
      shells.add(s)
      ws.send(encode({ type: 'ready', cols: demo.size.cols, rows: demo.size.rows }))
      state('running')
      p.onData((chunk: string | Buffer) => ws.send(Buffer.from(chunk.toString())))
      p.onExit(({ exitCode }) => {
        if (shells.delete(s) && shell === s)
          state('exited', exitCode)
      })
      return s
    }
    ws.on('message', async (data) => {
      try {
        const msg = JSON.parse(data.toString()) as { type: string, demo: string, role: Role, data: string, cols: number, rows: number }
        switch (msg.type) {
          case 'hello':
            shell ??= spawn(loadDemo(msg.demo, options.demosDir), msg.role)
            break
          case 'input':
            shell?.pty.write(msg.data)
            break
          case 'resize': // what comparable tools offer, with the sizes the page sends
            shell?.pty.resize(msg.cols, msg.rows)
            break
          case 'step': {
            const target = shell?.pty
            const st = shell?.demo.steps[next++]
            for (const ch of st?.type ?? '') {
              target?.write(ch)
              await new Promise(r => setTimeout(r, options.session?.typingDelayMs ?? 30))
            }
            target?.write('\r')
            break
          }
          case 'reset': {
            const old = shell
            old?.pty.kill()
            await new Promise(r => setTimeout(r, 10)) // "let it exit"
            if (old) {
              next = 0
              shell = spawn(old.demo, old.role)
            }
            break
          }
        }
      }
      catch (err) {
        if (ws.readyState === ws.OPEN)
          ws.close(CloseCode.policy, String(err).slice(0, 120))
      }
    })
    ws.on('close', () => {
      if (shell && shells.has(shell))
        shell.pty.kill()
    })
  })

  const listen = (server: http.Server, port: number, address: string) => new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, address, () => resolve((server.address() as AddressInfo).port))
  })
  const [first, ...others] = servers
  const port = await listen(first!.server, 0, first!.address)
  for (const { server, address } of others)
    await listen(server, port, address).catch(() => {}) // no IPv6 on this machine: fine
  const bridge = {
    token,
    sessionInfo: () => [...shells].map(s => ({ demo: s.demo.id, pid: s.pty.pid as number | undefined, clients: 1, phase: 'running' })),
    connectionInfo: () => [...wss.clients].map((ws) => {
      const s = [...shells].find(s => s.ws === ws)
      return { demo: s?.demo.id, role: s?.role ?? 'watch', bufferedAmount: ws.bufferedAmount }
    }),
  }
  return {
    bridge,
    port,
    origin: `http://localhost:${port}`,
    close: async () => {
      for (const s of shells)
        s.pty.kill()
      for (const ws of wss.clients)
        ws.close(CloseCode.goingAway)
      await new Promise(r => setTimeout(r, 100))
      await Promise.all(servers.map(({ server }) => {
        server.closeAllConnections()
        return new Promise(r => server.close(r))
      }))
    },
  }
}
