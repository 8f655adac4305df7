import { LIVE_KINDS, type LiveKind } from './protocol.js';

/**
 * What the dashboard needs from a live bridge in the same process: its status event emitter
 * (`EventEmitter<BridgeEvents>` of @music-transformer/live-bridge fits). Method syntax keeps the
 * listener parameter bivariant, so typed emitters are accepted without casts.
 */
export interface LiveEmitter {
  on(event: LiveKind, listener: (payload: never) => void): unknown;
  off(event: LiveKind, listener: (payload: never) => void): unknown;
}

/**
 * Forwards the bridge's note/buffer/underrun/rate/state events to `publish` as `{ kind, ...payload }`
 * (`state` carries a plain string, so it becomes `{ kind: 'state', state }`). Returns the detach function.
 */
export function forwardLiveEvents(emitter: LiveEmitter, publish: (event: unknown) => boolean): () => void {
  const attached = LIVE_KINDS.map((kind) => {
    const listener = (payload: unknown): void => {
      publish(kind === 'state' ? { kind, state: payload } : { ...(payload as object), kind });
    };
    emitter.on(kind, listener);
    return { kind, listener };
  });
  return () => {
    for (const { kind, listener } of attached) emitter.off(kind, listener);
  };
}
