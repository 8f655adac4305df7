/**
 * Worker threads load plain JavaScript, so tests that start the generation worker use the built files
 * (turbo builds the package before its tests; run `pnpm --filter @music-transformer/live-bridge build`).
 */
export const WORKER_URL = new URL('../../dist/generation-worker.js', import.meta.url);
export const MODEL_SOURCE = new URL('../../dist/model-source.js', import.meta.url).href;
export const SEND_WORKER_URL = new URL('../../dist/send-worker.js', import.meta.url);
