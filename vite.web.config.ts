// The same renderer as a plain web page, for browsers where Electron cannot run (CI, a
// developer's machine without the Electron binary). `renderer/web.html` installs the in-page
// bridge (renderer/bridge/web.ts, implementing ClientApi) before the app starts.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react()],
  server: { port: 5174, strictPort: true, host: '127.0.0.1' },
  preview: { port: 5175, strictPort: true, host: '127.0.0.1' },
  build: {
    outDir: resolve(root, 'dist-web'),
    emptyOutDir: true,
    rolldownOptions: { input: { index: resolve(root, 'renderer/web.html') } },
  },
});
