import * as tonejs from '@tonejs/midi';

/**
 * @tonejs/midi ships a webpack CommonJS build for Node (`main`) and ES modules for bundlers (`module`).
 * Node's ESM loader cannot see named exports in the webpack build, so they sit under `default` there;
 * bundlers see them directly. This picks whichever exists, so the package works in both.
 */
const ns = tonejs as typeof tonejs & { default?: typeof tonejs };
export const Midi: typeof tonejs.Midi = ns.Midi ?? ns.default!.Midi;
export type Midi = tonejs.Midi;
