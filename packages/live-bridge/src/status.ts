import type { Controls } from './controls.js';

/** A note edge as sent to the port (the dashboard's `note` event). */
export interface NoteStatus {
  pitch: number;
  velocity: number;
  on: boolean;
  channel: number;
  /** Clock time (ms) the message was due at. */
  time: number;
  /** Send time minus due time, ms (>= 0). */
  lateMs: number;
}

/** Playback state, for the dashboard and the CLI. */
export type BridgeState =
  | 'starting' // loading the model / filling the buffer for the first time
  | 'playing'
  | 'underrun' // generation fell behind: holding until the buffer refills
  | 'paused'
  | 'waiting' // clock-follow: waiting for the DAW's Start
  | 'listening' // call and response: waiting for the player's phrase and the silence after it
  | 'responding' // call and response: answering
  | 'stopped';

/** The status stream (architecture.md: note, buffer, underrun, rate) plus state and control changes. */
export interface BridgeEvents {
  note: [NoteStatus];
  /** Seconds of music generated ahead of the playback position. */
  buffer: [{ seconds: number }];
  /** Generation fell behind; playback waited `lateMs` instead of sending late notes. */
  underrun: [{ lateMs: number; time: number }];
  /** Generation speed over the last second of generation work. */
  rate: [{ tokensPerSecond: number; realTimeFactor: number }];
  state: [BridgeState];
  /** The ids the model now conditions on (after a start or a player's phrase). */
  primer: [{ tokens: number[] }];
  controls: [Controls];
  tempo: [{ bpm: number }];
  error: [Error];
}

/**
 * Measures generation speed from the worker's own busy time, so the figure is not diluted by idle
 * time when the buffer is full: tokens per busy second and music seconds per busy second.
 */
export class RateMeter {
  private tokens = 0;
  private musicMs = 0;
  private busyMs = 0;

  add(tokens: number, musicMs: number, busyMs: number): void {
    this.tokens += tokens;
    this.musicMs += musicMs;
    this.busyMs += busyMs;
  }

  /** The figures since the last take, or null if nothing was generated; resets the counters. */
  take(): { tokensPerSecond: number; realTimeFactor: number } | null {
    if (this.busyMs <= 0 || this.tokens === 0) return null;
    const out = {
      tokensPerSecond: (this.tokens * 1000) / this.busyMs,
      realTimeFactor: this.musicMs / this.busyMs,
    };
    this.tokens = 0;
    this.musicMs = 0;
    this.busyMs = 0;
    return out;
  }
}
