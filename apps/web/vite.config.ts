import { defineConfig } from 'vite';

// The app is served by `mt dashboard` from the CLI's copy of dist/; relative asset URLs keep it working
// under any mount point. No CDN: every dependency is bundled. Two pages: the dashboard (index.html) and
// the playground (play.html), whose generation worker is bundled as an ES module.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Tone.js is loaded on demand (first Play); it is large but never on the page-load path.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: { index: 'index.html', play: 'play.html' },
    },
  },
  worker: { format: 'es' },
});
