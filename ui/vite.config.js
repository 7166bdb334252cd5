import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The UI is embedded into the desktop binary from dist/; relative paths keep it working
// under tauri://localhost. Vitest runs the component tests in jsdom.
export default defineConfig({
  plugins: [vue()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'safari13' },
  test: { environment: 'jsdom', include: ['src/**/*.test.js'] },
});
