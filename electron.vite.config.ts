// electron-vite looks for src/main, src/preload and src/renderer by default; this project keeps
// the layout electron/main, electron/preload, renderer/ (see README), so every entry is named here.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      lib: { entry: resolve(root, 'electron/main/index.ts') },
      outDir: resolve(root, 'out/main'),
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot load an ES module: build it as CommonJS (index.cjs).
      lib: { entry: resolve(root, 'electron/preload/index.ts'), formats: ['cjs'] },
      outDir: resolve(root, 'out/preload'),
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
