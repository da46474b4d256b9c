import { defineConfig } from 'vite'
import { clientDependencies } from './build/client-deps.ts'
import { liveTerminal } from './server/bridge/vite-plugin.ts'

export default defineConfig({
  plugins: [liveTerminal()],
  // Pre-bundled before the first page load, so that no page reloads while Vite discovers them.
  optimizeDeps: { include: clientDependencies() },
  server: {
    // No CORS headers for anyone: with Vite's default, any http://localhost:* page may read the
    // deck's modules, among them Vite's HMR token.
    cors: false,
  },
})
