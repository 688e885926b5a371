import { defineConfig } from 'vite';

// Forge's Vite plugin supplies entry, output and externals for the main process.
export default defineConfig({});
