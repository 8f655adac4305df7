import {
  ALL_NOTES_OFF,
  type ChannelMessage,
  isNoteOff,
  isNoteOn,
  type MidiMessage,
  noteOff,
} from './messages.js';

/**
 * Remembers which notes are sounding on the receiver (from the messages actually sent) so the bridge
 * can always silence them: on stop, pause, SIGINT, error or port loss it sends a note-off for every
 * sounding note and then All Notes Off (CC 123) on every channel it used. Counting per (channel,
 * pitch) rather than a set keeps overlapping retriggers of one pitch balanced.
 */
export class NoteTracker {
  private readonly counts = new Map<number, number>();
  private readonly channels = new Set<number>();

  /** Updates the state with a message that has just been sent. */
  observe(message: MidiMessage): void {
    if (message.type !== 'noteon' && message.type !== 'noteoff') return;
    const key = message.channel * 128 + message.note;
    this.channels.add(message.channel);
    if (isNoteOn(message)) {
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    } else if (isNoteOff(message)) {
      const n = (this.counts.get(key) ?? 0) - 1;
      if (n > 0) this.counts.set(key, n);
      else this.counts.delete(key);
    }
  }

  /** Number of notes sounding now. */
  get soundingCount(): number {
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  /** Sounding notes as [channel, pitch] pairs. */
  sounding(): Array<[number, number]> {
    return [...this.counts.keys()].map((key) => [Math.floor(key / 128), key % 128]);
  }

  /**
   * The messages that silence everything: one note-off per sounding note instance, then CC 123 on each
   * channel used (plus `extraChannels`). Clears the state, as if they had been sent.
   */
  silence(extraChannels: readonly number[] = []): ChannelMessage[] {
    const out: ChannelMessage[] = [];
    for (const [key, n] of this.counts) {
      for (let i = 0; i < n; i++) out.push(noteOff(Math.floor(key / 128), key % 128));
    }
    this.counts.clear();
    for (const channel of new Set([...this.channels, ...extraChannels])) {
      out.push({ type: 'cc', channel, controller: ALL_NOTES_OFF, value: 0 });
    }
    return out;
  }
}
