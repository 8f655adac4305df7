import { BridgeError } from './errors.js';
import type { MidiBackend } from './ports.js';

/**
 * Polls the port lists and reports the first watched port that disappeared (a USB interface unplugged,
 * a loopMIDI port deleted, the JACK server gone). RtMidi does not always fail a send to a vanished
 * device, so this is how `mt live` notices port loss and silences what it can.
 */
export function watchPorts(
  backend: Pick<MidiBackend, 'listOutputs' | 'listInputs'>,
  ports: { outputs?: readonly string[]; inputs?: readonly string[] },
  onLost: (error: BridgeError) => void,
  intervalMs = 1000,
): () => void {
  if (!ports.outputs?.length && !ports.inputs?.length) return () => {};
  const check = () => {
    try {
      const outputs = ports.outputs?.length ? backend.listOutputs() : [];
      const inputs = ports.inputs?.length ? backend.listInputs() : [];
      const lost =
        ports.outputs?.find((p) => !outputs.includes(p)) ?? ports.inputs?.find((p) => !inputs.includes(p));
      if (lost === undefined) return;
      stop();
      onLost(new BridgeError('PORT_LOST', `MIDI port '${lost}' disappeared`));
    } catch (cause) {
      stop();
      onLost(
        new BridgeError('PORT_LOST', `MIDI ports can no longer be listed: ${(cause as Error).message}`, {
          cause,
        }),
      );
    }
  };
  const timer = setInterval(check, intervalMs);
  const stop = () => clearInterval(timer);
  return stop;
}
