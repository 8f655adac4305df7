import type { Clock } from './clock.js';
import { BridgeError } from './errors.js';
import type { ChannelMessage, MidiMessage } from './messages.js';
import { NoteTracker } from './note-tracker.js';
import type { MidiOutputPort } from './ports.js';
import type { MidiRecorder } from './recorder.js';
import type { NoteStatus } from './status.js';

/**
 * Everything that happens when a message leaves: the port, the record of sounding notes (for
 * silencing), the optional .mid recording and the `note` status. Keeping it in one place guarantees
 * that what is recorded and tracked is exactly what was sent.
 */
export class OutputSink {
  private readonly tracker = new NoteTracker();
  private notes = 0;

  constructor(
    private readonly port: MidiOutputPort,
    private readonly recorder: MidiRecorder | null,
    private readonly clock: Clock,
  ) {}

  /** Note-ons sent so far. */
  get sentNotes(): number {
    return this.notes;
  }

  get soundingCount(): number {
    return this.tracker.soundingCount;
  }

  /**
   * Sends a message due at clock time `due`; returns the note status for note messages. Throws
   * PORT_LOST if the port fails.
   */
  send(message: MidiMessage, due: number): NoteStatus | null {
    try {
      this.port.send(message);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new BridgeError('PORT_LOST', `MIDI output '${this.port.name}' failed: ${detail}`, { cause });
    }
    this.tracker.observe(message);
    if (message.type === 'noteon' || message.type === 'noteoff' || message.type === 'cc') {
      this.recorder?.add(message, due);
    }
    if (message.type !== 'noteon' && message.type !== 'noteoff') return null;
    const on = message.type === 'noteon' && message.velocity > 0;
    if (on) this.notes++;
    return {
      pitch: message.note,
      velocity: message.velocity,
      on,
      channel: message.channel,
      time: due,
      lateMs: Math.max(0, this.clock.now() - due),
    };
  }

  /**
   * Sends a note-off for every sounding note, then CC 123 on every channel used (and `channel`).
   * Best effort: if the port is gone nothing more can be done there, but the recording still ends
   * every note.
   */
  silence(channel: number): void {
    const messages: ChannelMessage[] = this.tracker.silence([channel]);
    const now = this.clock.now();
    for (const m of messages) {
      try {
        this.port.send(m);
      } catch {
        // The port failed; keep going so the recording is complete.
      }
      this.recorder?.add(m, now);
    }
  }
}
