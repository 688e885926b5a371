import { defineConfig } from 'vite';

// Forge's Vite plugin supplies entry, output and externals for the main process.
// pkcs11js (PKCS#11 tokens) is a native addon: it is required at run time from
// node_modules, rebuilt for Electron by Forge, never bundled.
export default defineConfig({ build: { rollupOptions: { external: ['pkcs11js'] } } });
