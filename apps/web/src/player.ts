import type { RollNote } from './piano-roll.js';

/**
 * Plays notes with a Tone.js polyphonic synth (oscillators only: nothing is downloaded). Tone.js is
 * imported on first use so it never weighs on page load. Browsers only start audio after a user
 * gesture, which the Play button is.
 */
export class SynthPlayer {
  private stopCurrent: (() => void) | null = null;
  private startedAt = 0;
  private nowFn: (() => number) | null = null;

  get playing(): boolean {
    return this.stopCurrent !== null;
  }

  /** Seconds into the piece, or null when stopped. */
  position(): number | null {
    return this.stopCurrent && this.nowFn ? this.nowFn() - this.startedAt : null;
  }

  async play(notes: readonly RollNote[], onEnd: () => void): Promise<void> {
    this.stop();
    const Tone = await import('tone');
    await Tone.start();
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
  }

  stop(): void {
    const stop = this.stopCurrent;
    this.stopCurrent = null;
    stop?.();
  }
}
