import { CodedError } from '@music-transformer/vocab';

/** Closed set of failure kinds of the live bridge; tests and the CLI switch on `code`. */
export type BridgeErrorCode =
  | 'BAD_OPTION' // an option or control value is out of range or malformed (the message names it)
  | 'PORT_NOT_FOUND' // no MIDI port matches the requested name or substring
  | 'PORT_AMBIGUOUS' // a substring matches several ports; the message lists them
  | 'PORT_FAILED' // the MIDI backend could not open or use a port (no ALSA/JACK/CoreMIDI, ...)
  | 'PORT_LOST' // a port disappeared or failed while running
  | 'WORKER_FAILED' // the generation worker crashed or reported an error
  | 'BAD_STATE'; // a method was called in a state where it makes no sense (e.g. start after stop)

export class BridgeError extends CodedError<BridgeErrorCode> {
  override readonly name = 'BridgeError';
}
