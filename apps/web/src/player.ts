import type { RollNote } from './piano-roll.js';

/**
 * Plays notes with a Tone.js polyphonic synth (oscillators only: nothing is downloaded). Tone.js is
 * imported on first use so it never weighs on page load. Browsers only start audio after a user
 * gesture, which the Play button is.
 */
export class SynthPlayer {
  /** Stops what is playing, or cancels a start still waiting for audio; null when idle. */
  private stopCurrent: (() => void) | null = null;
  private startedAt = 0;
  private nowFn: (() => number) | null = null;

  /** True from the call to play() (audio may still be starting) until stop() or the piece's end. */
  get playing(): boolean {
    return this.stopCurrent !== null;
  }

  /** Seconds into the piece, or null when stopped or not yet sounding. */
  position(): number | null {
    return this.stopCurrent && this.nowFn ? this.nowFn() - this.startedAt : null;
  }

  /**
   * Starts the notes; resolves true once they are scheduled, or false when stop() (or another play())
   * came while Tone.js was still loading or starting audio. onEnd runs exactly once either way, so a
   * view that toggles its button on it never misses a state.
   */
  async play(notes: readonly RollNote[], onEnd: () => void): Promise<boolean> {
    this.stop();
    let cancelled = false;
    this.stopCurrent = () => {
      cancelled = true;
      onEnd();
    };
    const Tone = await import('tone');
    await Tone.start();
    if (cancelled) return false;
    const synth = new Tone.PolySynth(Tone.Synth, {
      oscillator: { type: 'triangle' },
      envelope: { attack: 0.005, decay: 0.2, sustain: 0.4, release: 0.4 },
    }).toDestination();
    synth.maxPolyphony = 64;
    synth.volume.value = -12;
    const lead = 0.1; // scheduling headroom so the first notes are not late
    this.startedAt = Tone.now() + lead;
    this.nowFn = () => Tone.now();
    let end = 0;
    for (const n of notes) {
      const duration = Math.max(0.02, n.end - n.start);
      synth.triggerAttackRelease(
        Tone.Frequency(n.pitch, 'midi').toFrequency(),
        duration,
        this.startedAt + n.start,
        Math.min(1, Math.max(0.05, n.velocity)),
      );
      end = Math.max(end, n.end);
    }
    const timer = setTimeout(() => this.stop(), (end + lead + 0.5) * 1000);
    this.stopCurrent = () => {
      clearTimeout(timer);
      synth.releaseAll();
      // Let the release tail fade before freeing the voices.
      setTimeout(() => synth.dispose(), 600);
      onEnd();
    };
    return true;
  }

  stop(): void {
    const stop = this.stopCurrent;
    this.stopCurrent = null;
    this.nowFn = null;
    stop?.();
  }
}
