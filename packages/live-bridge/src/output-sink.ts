import type { Clock } from './clock.js';
import { BridgeError } from './errors.js';
import type { ChannelMessage, MidiMessage } from './messages.js';
import { NoteTracker } from './note-tracker.js';
import type { MidiOutputPort } from './ports.js';
import type { MidiRecorder } from './recorder.js';
import type { TimedMessage } from './scheduler.js';
import type { SentRecord } from './send-ring.js';
import type { NoteStatus } from './status.js';

const isChannel = (m: MidiMessage): m is ChannelMessage =>
  m.type === 'noteon' || m.type === 'noteoff' || m.type === 'cc';

const portLost = (port: MidiOutputPort, cause: unknown): BridgeError => {
  if (cause instanceof BridgeError && cause.code === 'PORT_LOST') return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new BridgeError('PORT_LOST', `MIDI output '${port.name}' failed: ${detail}`, { cause });
};

/**
 * Everything that happens when a message leaves: the port, the record of sounding notes (for
 * silencing), the optional .mid recording and the `note` status. Keeping it in one place guarantees
 * that what is recorded and tracked is exactly what was sent.
 *
 * A port with a sending thread of its own (`port.timed`) gets messages ahead of their time; they count
 * as sent only once that thread reports them sent (`collect`), and a silence first cancels what was
 * handed over but has not left, so nothing is tracked, recorded or shown that did not go out.
 */
export class OutputSink {
  private readonly tracker = new NoteTracker();
  private notes = 0;
  /** Timed ports: what each handed-over message was scheduled as (to put back what a pause drops). */
  private readonly handed = new Map<ChannelMessage, TimedMessage | null>();
  /** Timed ports: silencing messages, tracked and recorded when handed over. */
  private readonly silencing = new Set<ChannelMessage>();

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
   * Sends (or, to a timed port, hands over) a message due at clock time `due`; returns the note status
   * for note messages sent now (timed ports report theirs through `collect`). Throws PORT_LOST if the
   * port fails.
   */
  send(message: MidiMessage, due: number, scheduled: TimedMessage | null = null): NoteStatus | null {
    const timed = this.port.timed;
    if (timed && isChannel(message)) {
      try {
        timed.sendAt(message, due);
      } catch (cause) {
        throw portLost(this.port, cause);
      }
      this.handed.set(message, scheduled);
      return null;
    }
    try {
      this.port.send(message);
    } catch (cause) {
      throw portLost(this.port, cause);
    }
    return this.sent(message, due, this.clock.now());
  }

  /** Timed ports: takes in what the sending thread sent since the last call; their note statuses. */
  collect(): NoteStatus[] {
    const timed = this.port.timed;
    if (!timed) return [];
    let records: Array<SentRecord<ChannelMessage>>;
    try {
      records = timed.collect();
    } catch (cause) {
      throw portLost(this.port, cause);
    }
    return this.takeIn(records, []);
  }

  /**
   * Sends a note-off for every sounding note, then CC 123 on every channel used (and `channel`).
   * A timed port first drops what it holds and has not sent: those messages come back in `dropped`
   * (as scheduled) for a caller that wants to play them later (pause/resume). Best effort: if the port
   * is gone nothing more can be done there, but the recording still ends every note.
   */
  silence(channel: number): { statuses: NoteStatus[]; dropped: TimedMessage[] } {
    const timed = this.port.timed;
    const dropped: TimedMessage[] = [];
    const unsent: ChannelMessage[] = [];
    const statuses = timed ? this.takeIn(timed.cancelPending(), dropped, unsent) : [];
    // Silencing messages of an earlier silence that the cancel caught before they left go out again.
    const messages: ChannelMessage[] = [...unsent, ...this.tracker.silence([channel])];
    const now = this.clock.now();
    for (const [i, m] of messages.entries()) {
      try {
        if (timed) {
          timed.sendAt(m, now);
          this.silencing.add(m);
        } else this.port.send(m);
      } catch {
        // The port failed; keep going so the recording is complete.
      }
      if (i >= unsent.length) this.recorder?.add(m, now);
    }
    return { statuses, dropped };
  }

  private takeIn(
    records: Array<SentRecord<ChannelMessage>>,
    dropped: TimedMessage[],
    unsent: ChannelMessage[] = [],
  ): NoteStatus[] {
    const statuses: NoteStatus[] = [];
    for (const { item, dueMs, sentMs } of records) {
      if (this.silencing.delete(item)) {
        if (sentMs === null) unsent.push(item);
        continue;
      }
      const scheduled = this.handed.get(item) ?? null;
      this.handed.delete(item);
      if (sentMs === null) {
        if (scheduled) dropped.push(scheduled);
        continue;
      }
      const status = this.sent(item, dueMs, sentMs);
      if (status) statuses.push(status);
    }
    return statuses;
  }

  private sent(message: MidiMessage, due: number, sentMs: number): NoteStatus | null {
    this.tracker.observe(message);
    if (isChannel(message)) this.recorder?.add(message, due);
    if (message.type !== 'noteon' && message.type !== 'noteoff') return null;
    const on = message.type === 'noteon' && message.velocity > 0;
    if (on) this.notes++;
    return {
      pitch: message.note,
      velocity: message.velocity,
      on,
      channel: message.channel,
      time: due,
      lateMs: Math.max(0, sentMs - due),
    };
  }
}
