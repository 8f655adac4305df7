import type { LiveEvent } from '@music-transformer/dashboard/protocol';

export interface LiveNote {
  pitch: number;
  velocity: number;
  /** Seconds on the bridge clock (events carry ms). */
  start: number;
  /** null while the note is still sounding. */
  end: number | null;
}

export interface LiveState {
  notes: LiveNote[];
  /** Latest note time (live-bridge clock, seconds). */
  now: number;
  bufferSeconds: number | null;
  underruns: number;
  lastLateMs: number | null;
  tokensPerSecond: number | null;
  /** Bridge state (playing, underrun, paused, ...), null before the first `state` event. */
  bridgeState: string | null;
  events: number;
}

/** Notes older than this (seconds behind `now`) are dropped; the roll shows less than that. */
export const LIVE_HISTORY_S = 30;

export function emptyLive(): LiveState {
  return {
    notes: [],
    now: 0,
    bufferSeconds: null,
    underruns: 0,
    lastLateMs: null,
    tokensPerSecond: null,
    bridgeState: null,
    events: 0,
  };
}

/** Folds one live-bridge status event into the state (in place; the live view redraws per frame). */
export function applyLive(state: LiveState, event: LiveEvent): void {
  state.events++;
  switch (event.kind) {
    case 'note': {
      const time = event.time / 1000;
      state.now = Math.max(state.now, time);
      if (event.on && event.velocity > 0) {
        state.notes.push({ pitch: event.pitch, velocity: event.velocity, start: time, end: null });
      } else {
        // A note-off (or note-on with velocity 0) ends the oldest sounding note of that pitch.
        const open = state.notes.find((n) => n.pitch === event.pitch && n.end === null);
        if (open) open.end = Math.max(open.start, time);
      }
      const horizon = state.now - LIVE_HISTORY_S;
      if (state.notes.length > 0 && (state.notes[0] as LiveNote).start < horizon) {
        state.notes = state.notes.filter((n) => (n.end ?? state.now) >= horizon);
      }
      break;
    }
    case 'buffer':
      state.bufferSeconds = event.seconds;
      break;
    case 'underrun':
      state.underruns++;
      state.lastLateMs = event.lateMs;
      break;
    case 'rate':
      state.tokensPerSecond = event.tokensPerSecond;
      break;
    case 'state':
      state.bridgeState = event.state;
      break;
  }
}
