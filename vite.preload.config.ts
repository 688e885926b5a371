import { defineConfig } from 'vite';

// Forge's Vite plugin supplies entry, output and externals for the preload script.
export default defineConfig({});
