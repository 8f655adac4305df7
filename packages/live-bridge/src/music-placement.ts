import type { Timeline } from './timeline.js';

/**
 * Where generated music sits on the transport. Music time (ms at the model's own tempo) maps to beats at
 * the grid tempo (`bpm`), plus a shift that grows each time playback waits (underrun, responses); the
 * timeline then maps beats to clock time, following `setTempo` or an incoming MIDI clock.
 */
export class MusicPlacement {
  /** One beat at the grid tempo, in music ms. */
  readonly msPerBeatAtGrid: number;
  private shiftBeats = 0;

  constructor(
    private readonly timeline: Timeline,
    gridBpm: number,
  ) {
    this.msPerBeatAtGrid = 60_000 / gridBpm;
  }

  /** The music ms playing at clock time `ms`. */
  musicAt(ms: number): number {
    return (this.timeline.beatAt(ms) - this.shiftBeats) * this.msPerBeatAtGrid;
  }

  /** The transport beat music ms `musicMs` plays at. */
  beatOf(musicMs: number): number {
    return musicMs / this.msPerBeatAtGrid + this.shiftBeats;
  }

  /** Moves the music so that `fromMusicMs` plays `marginMs` after clock time `now`. */
  place(fromMusicMs: number, now: number, marginMs: number): void {
    const marginBeats = marginMs / this.timeline.msPerBeat;
    this.shiftBeats = this.timeline.beatAt(now) + marginBeats - fromMusicMs / this.msPerBeatAtGrid;
  }
}
