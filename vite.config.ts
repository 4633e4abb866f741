// Vite build of the dashboard (client/ -> client/dist). The dev server proxies
// the API to a running `npm start` (SANSHE_API, default http://127.0.0.1:3000).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'client',
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': process.env.SANSHE_API ?? 'http://127.0.0.1:3000' },
  },
});
