// Vite build of the dashboard (client/ -> client/dist). The dev server proxies
// the API to a running `npm start` (SANSHE_API, default http://127.0.0.1:3000).
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * index.html preloads the landing page's code beside the entry: the
 * overview's chunk, what it imports and the ECharts chunk (which nearly
 * every page draws with), about 230 KB gzipped. They download and compile
 * while the entry runs and the data loads (client/public/boot.js), instead of
 * after the entry has run and asked for the page.
 */
function preloadLanding(page = '/client/pages/Overview.tsx'): Plugin {
  return {
    name: 'sanshe-preload-landing',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const files = new Set<string>();
        const add = (f: string) => {
          const c = byFile.get(f);
          if (!c || c.isEntry || files.has(f)) return;
          files.add(f);
          for (const i of c.imports) add(i);
        };
        const landing = chunks.find((c) => Object.keys(c.modules).some((m) => m.endsWith(page)));
        if (landing) add(landing.fileName);
        // the chunk with ECharts' core (not echarts-extra.ts's charts, which only other pages load)
        const charts = chunks.find((c) => !c.isEntry && Object.keys(c.modules).some((m) => m.includes('/node_modules/echarts/lib/core/echarts.js')));
        if (charts) add(charts.fileName);
        return [...files].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const }));
      },
    },
  };
}

export default defineConfig({
  root: 'client',
  base: './',
  plugins: [react(), preloadLanding()],
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
