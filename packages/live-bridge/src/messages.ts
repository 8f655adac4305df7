/**
 * The MIDI messages the bridge sends and understands, as plain data with easymidi's type names so the
 * port adapter is a one-to-one mapping. Channels are 0-based (0 = MIDI channel 1).
 */
export type ChannelMessage =
  | { type: 'noteon'; channel: number; note: number; velocity: number }
  | { type: 'noteoff'; channel: number; note: number; velocity: number }
  | { type: 'cc'; channel: number; controller: number; value: number };

/** System real-time messages of MIDI clock sync (24 clocks per quarter note). */
export type RealtimeMessage = { type: 'clock' } | { type: 'start' } | { type: 'stop' } | { type: 'continue' };

export type MidiMessage = ChannelMessage | RealtimeMessage;

/** CC 123: All Notes Off. */
export const ALL_NOTES_OFF = 123;

export const noteOn = (channel: number, note: number, velocity: number): ChannelMessage => ({
  type: 'noteon',
  channel,
  note,
  velocity,
});

export const noteOff = (channel: number, note: number): ChannelMessage => ({
  type: 'noteoff',
  channel,
  note,
  velocity: 0,
});

/** A note-on with velocity 0 is a note-off by the MIDI spec; players and DAWs treat it so. */
export function isNoteOff(m: MidiMessage): m is ChannelMessage & { note: number } {
  return m.type === 'noteoff' || (m.type === 'noteon' && m.velocity === 0);
}

export function isNoteOn(m: MidiMessage): m is ChannelMessage & { type: 'noteon' } {
  return m.type === 'noteon' && m.velocity > 0;
}
