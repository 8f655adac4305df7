/**
 * The transport: maps musical position (beats) to clock time and back. It is a piecewise-linear
 * tempo map held as one anchor (beat `anchorBeat` at clock time `anchorMs`) plus a tempo; every tempo
 * change, pause or clock-sync re-anchors at the current time, so events that are not yet sent move
 * with the new tempo while nothing already played is rewritten. Stopped, time stands still and no
 * beat has a clock time (`msAt` returns Infinity), which is what keeps the scheduler from sending.
 */
export class Timeline {
  private anchorMs = 0;
  private anchorBeat = 0;
  private msPerBeatValue: number;
  private running = false;
  private readonly listeners = new Set<() => void>();

  constructor(bpm: number) {
    this.msPerBeatValue = 60_000 / bpm;
  }

  get bpm(): number {
    return 60_000 / this.msPerBeatValue;
  }

  get msPerBeat(): number {
    return this.msPerBeatValue;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Position in beats at clock time `ms` (the frozen position while stopped). */
  beatAt(ms: number): number {
    if (!this.running) return this.anchorBeat;
    return this.anchorBeat + (ms - this.anchorMs) / this.msPerBeatValue;
  }

  /** Clock time at which position `beat` is (or was) reached; Infinity while stopped. */
  msAt(beat: number): number {
    if (!this.running) return Number.POSITIVE_INFINITY;
    return this.anchorMs + (beat - this.anchorBeat) * this.msPerBeatValue;
  }

  /** Starts (or continues) moving from position `beat` at clock time `ms`. */
  start(ms: number, beat: number = this.anchorBeat): void {
    this.anchorMs = ms;
    this.anchorBeat = beat;
    this.running = true;
    this.changed();
  }

  /** Freezes the position reached at clock time `ms`. */
  stop(ms: number): void {
    if (!this.running) return;
    this.anchorBeat = this.beatAt(ms);
    this.anchorMs = ms;
    this.running = false;
    this.changed();
  }

  /** Changes tempo from clock time `ms` on, keeping the position reached at `ms`. */
  setTempo(bpm: number, ms: number): void {
    this.anchorBeat = this.beatAt(ms);
    this.anchorMs = ms;
    this.msPerBeatValue = 60_000 / bpm;
    this.changed();
  }

  /** Hard re-anchor from an external clock: position `beat` is at clock time `ms`, at tempo `bpm`. */
  sync(beat: number, ms: number, bpm: number): void {
    this.anchorBeat = beat;
    this.anchorMs = ms;
    this.msPerBeatValue = 60_000 / bpm;
    this.changed();
  }

  /** Registers a listener called after every change; returns its removal. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
