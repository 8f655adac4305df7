/**
 * The TF.js backends `initBackend` can be asked for, in its 'auto' order after 'auto' itself. A list apart
 * from backend.ts so that command-line parsers can offer the choices without loading TF.js.
 */
export const BACKEND_CHOICES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

export type BackendChoice = (typeof BACKEND_CHOICES)[number];
