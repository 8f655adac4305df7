import type { Waker } from './clock.js';
import { startIds, type TokenCodec } from './codec.js';
import type { MidiMessage } from './messages.js';
import { PhraseCapture } from './phrase-capture.js';

export interface CallResponseEvents {
  /** The player started a new phrase while the model was answering: cut the answer off. */
  interrupt(): void;
  /** The player was silent long enough: answer `primer` (for `lengthMs` of music, or with no end). */
  answer(primer: number[], lengthMs: number | null): void;
}

/**
 * The listening half of call and response (Magenta's MIDI interface): captures the player's phrase and,
 * after `silenceMs()` without any note event, hands it over as primer tokens (`<start>` first). In
 * 'call-response' the answer lasts as long as the phrase (at least one beat); in 'continue' it has no end.
 *
 * The silence counts from the last event, whether or not keys are still down: a note-off that never
 * comes (a controller unplugged mid-phrase, a lost message) must not leave the bridge listening
 * forever. Keys still held when the silence ends are timed out: the phrase closes them at its last
 * event, and their late note-offs, if they ever arrive, are ignored (the capture no longer holds them).
 */
export class CallResponse {
  private readonly capture: PhraseCapture;
  private cancelSilence: (() => void) | null = null;

  constructor(
    private readonly codec: TokenCodec,
    private readonly waker: Waker,
    private readonly options: {
      mode: 'call-response' | 'continue';
      /** Silence that ends a phrase, ms (read at each note, so tempo changes apply). */
      silenceMs: () => number;
      /** Shortest answer, ms. */
      minAnswerMs: number;
    },
    private readonly events: CallResponseEvents,
  ) {
    this.capture = new PhraseCapture(codec);
  }

  /** Feeds an input message; `answering` tells whether a new note must interrupt an answer. */
  handle(message: MidiMessage, ms: number, answering: boolean): boolean {
    if (!this.capture.handle(message, ms)) return false;
    if (message.type === 'noteon' && message.velocity > 0 && answering) this.events.interrupt();
    this.cancel();
    this.cancelSilence = this.waker.wakeAt(ms + this.options.silenceMs(), () => {
      this.cancelSilence = null;
      this.finishPhrase();
    });
    return true;
  }

  /** Forgets the pending silence timer (on stop). */
  cancel(): void {
    this.cancelSilence?.();
    this.cancelSilence = null;
  }

  private finishPhrase(): void {
    if (this.capture.isEmpty) return;
    const primer = [...startIds(this.codec), ...this.capture.tokens()];
    const lengthMs =
      this.options.mode === 'call-response'
        ? Math.max(this.capture.durationMs, this.options.minAnswerMs)
        : null;
    this.capture.clear();
    this.events.answer(primer, lengthMs);
  }
}
