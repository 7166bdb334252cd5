import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The UI is embedded into the desktop binary from dist/; relative paths keep it working
// under tauri://localhost. The grid library (vxe-table, ~550 kB) is its own chunk, read from
// the binary when the round or the checkpoint page first opens: no network is involved, so
// the size warning is set above it. Vitest runs the component tests in jsdom.
export default defineConfig({
  plugins: [vue()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'safari13', chunkSizeWarningLimit: 800 },
  test: { environment: 'jsdom', include: ['src/**/*.test.js'] },
});
