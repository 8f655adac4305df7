import type { MidiMessage } from './messages.js';
import type { Timeline } from './timeline.js';

/** MIDI clock runs at 24 pulses per quarter note. */
export const CLOCK_PPQN = 24;
/** Tempo is averaged over this many pulse intervals (half a beat): it follows a change within one beat. */
const WINDOW = 12;
/** Pulse intervals outside this tempo range are ignored as glitches (e.g. the gap across a Stop). */
const MIN_BPM = 20;
const MAX_BPM = 400;

export interface ClockFollowerEvents {
  /** Start or Continue was received; playback will begin on the next pulse. */
  onStart?: (ms: number, fromTop: boolean) => void;
  /** Stop was received; the timeline is already frozen. */
  onStop?: (ms: number) => void;
}

/**
 * Slaves the timeline to an incoming MIDI clock. Position is phase-locked to the pulse count (each
 * pulse is exactly 1/24 beat after the previous one) and tempo is the average of the last pulse
 * intervals, so sending never runs ahead of the DAW by more than one pulse's extrapolation. After Start
 * or Continue the transport moves from the next pulse on (the MIDI spec: the first clock after Start
 * is the downbeat); Stop freezes it at once.
 */
export class ClockFollower {
  private readonly intervals: number[] = [];
  private lastPulseMs: number | null = null;
  private pulses = 0;
  private baseBeat = 0;
  private armed = false;
  private running = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly events: ClockFollowerEvents = {},
  ) {}

  /** Tempo currently measured from the clock, or null before two pulses arrived. */
  get measuredBpm(): number | null {
    if (this.intervals.length === 0) return null;
    const mean = this.intervals.reduce((a, b) => a + b, 0) / this.intervals.length;
    return 60_000 / (mean * CLOCK_PPQN);
  }

  get isRunning(): boolean {
    return this.running || this.armed;
  }

  /** Feeds one incoming message; returns true if it was a clock/transport message. */
  handle(message: MidiMessage, ms: number): boolean {
    switch (message.type) {
      case 'clock':
        this.pulse(ms);
        return true;
      case 'start':
        // Start plays from the top: the stream continues, but beat 0 of the DAW is "now".
        this.arm(ms, true);
        return true;
      case 'continue':
        this.arm(ms, false);
        return true;
      case 'stop':
        this.armed = false;
        this.running = false;
        this.timeline.stop(ms);
        this.events.onStop?.(ms);
        return true;
      default:
        return false;
    }
  }

  private arm(ms: number, fromTop: boolean): void {
    this.armed = true;
    this.running = false;
    this.baseBeat = this.timeline.beatAt(ms);
    this.pulses = 0;
    this.events.onStart?.(ms, fromTop);
  }

  private pulse(ms: number): void {
    if (this.lastPulseMs !== null) {
      const interval = ms - this.lastPulseMs;
      const bpm = 60_000 / (interval * CLOCK_PPQN);
      if (bpm >= MIN_BPM && bpm <= MAX_BPM) {
        this.intervals.push(interval);
        if (this.intervals.length > WINDOW) this.intervals.shift();
      }
    }
    this.lastPulseMs = ms;
    const bpm = this.measuredBpm ?? this.timeline.bpm;
    if (this.armed) {
      this.armed = false;
      this.running = true;
      this.pulses = 0;
      this.timeline.sync(this.baseBeat, ms, bpm);
      this.timeline.start(ms, this.baseBeat);
      return;
    }
    if (!this.running) {
      // Clock without transport (DAW stopped): track tempo only, so Start begins at the right tempo.
      if (this.measuredBpm !== null) this.timeline.setTempo(bpm, ms);
      return;
    }
    this.pulses++;
    this.timeline.sync(this.baseBeat + this.pulses / CLOCK_PPQN, ms, bpm);
  }
}
