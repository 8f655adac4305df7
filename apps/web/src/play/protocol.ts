import type { PlaySettings } from './settings.js';

/** The model as the worker holds it, described for the page. */
export interface ModelInfo {
  name: string;
  parameters: number;
  vocab: string;
  /** 'simd' = WebAssembly SIMD kernels, 'js' = the plain-JavaScript fallback. */
  kernels: 'simd' | 'js';
  /** Pitches the vocabulary can play (the instrument range's limits). */
  minPitch: number;
  maxPitch: number;
  /** Whether the generator can keep new notes inside an instrument range. */
  pitchRange: boolean;
}

/** Page -> worker. */
export type WorkerRequest =
  | { type: 'load'; name: string; bytes: ArrayBuffer }
  | {
      type: 'generate';
      settings: PlaySettings;
      /** A dropped MIDI file to continue, with its name for error messages. */
      primer?: { name: string; bytes: ArrayBuffer };
      /** The downloaded file's track name (mt generate names it after the output file). */
      trackName: string;
    };

/** A note of the piece so far, in seconds (velocity 1..127). */
export interface PlayNote {
  pitch: number;
  velocity: number;
  start: number;
  end: number;
}

/** Worker -> page. */
export type WorkerReply =
  | { type: 'loaded'; model: ModelInfo }
  | { type: 'primer'; tokens: number; notes: PlayNote[] }
  /** Every note decoded so far (primer included unless continuation-only), sent a few times a second. */
  | { type: 'progress'; generated: number; notes: PlayNote[] }
  | {
      type: 'done';
      generated: number;
      stopReason: string;
      seconds: number;
      notes: PlayNote[];
      midi: Uint8Array;
      /** Wall time of the generate call in the worker, for tokens/s. */
      ms: number;
    }
  | { type: 'error'; message: string };
