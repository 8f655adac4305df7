import { defineConfig } from 'vite';

// The app is served by `mt dashboard` from the CLI's copy of dist/; relative asset URLs keep it working
// under any mount point. No CDN: every dependency is bundled.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Tone.js is loaded on demand (first Play); it is large but never on the page-load path.
    chunkSizeWarningLimit: 600,
  },
});
