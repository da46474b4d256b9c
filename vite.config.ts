import { defineConfig } from 'vite'
import { liveTerminal } from './server/vite-plugin.ts'

export default defineConfig({
  plugins: [liveTerminal()],
})
