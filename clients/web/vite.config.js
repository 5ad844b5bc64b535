import { defineConfig } from 'vite';

// Served by the server under /console; the Maven build sets CONSOLE_OUT_DIR to the jar's static/console.
export default defineConfig({
  base: '/console/',
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
