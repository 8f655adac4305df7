import type { NoteEdge } from './token-decoder.js';

/** Why playback waits: the first music of a phrase, a refill after an underrun, or an answer to the player. */
export type GateReason = 'start' | 'underrun' | 'response';

/** A closed gate: music from `fromMusicMs` on is held until `thresholdMs` of it is generated. */
export interface Gate {
  fromMusicMs: number;
  thresholdMs: number;
  reason: GateReason;
  /** Clock ms the gate closed at: an underrun reports the wait from here. */
  sinceMs: number;
}

/**
 * While closed, decoded notes are held back instead of scheduled: at the start, after an underrun and
 * before a response, until `thresholdMs` of music from `fromMusicMs` on is generated. Opening places
 * that music at "now", which is how the bridge recovers by waiting instead of bursting late notes.
 */
export class PlaybackGate {
  private gate: Gate | null = null;
  private held: NoteEdge[] = [];

  /** The closed gate, or null while notes go straight to the scheduler. */
  get closed(): Gate | null {
    return this.gate;
  }

  /** Closes the gate; notes held by an earlier gate are dropped with it. */
  close(gate: Gate): void {
    this.gate = gate;
    this.held = [];
  }

  hold(edges: readonly NoteEdge[]): void {
    this.held.push(...edges);
  }

  /**
   * Opens once the generated music (up to `musicMs`) reaches the threshold, or once the phrase is done
   * (nothing more will come): returns the gate and the notes it held, or null while it stays closed.
   */
  openIfReady(musicMs: number, phraseDone: boolean): { gate: Gate; held: NoteEdge[] } | null {
    const gate = this.gate;
    if (!gate) return null;
    if (!(musicMs - gate.fromMusicMs >= gate.thresholdMs || phraseDone)) return null;
    const held = this.held;
    this.gate = null;
    this.held = [];
    return { gate, held };
  }

  /** Drops the gate and what it held (the phrase was cut off). */
  clear(): void {
    this.gate = null;
    this.held = [];
  }
}
