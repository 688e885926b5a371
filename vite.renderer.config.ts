import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

/** One renderer build serves both Electron (file://) and browser mode (HTTP). */
export const rendererOutDir = path.join(__dirname, '.vite/renderer/main_window');

export default defineConfig({
  root: path.join(__dirname, 'renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: rendererOutDir, emptyOutDir: true },
});
