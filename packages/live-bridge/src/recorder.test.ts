import { describe, expect, it } from 'vitest';
import { noteOff, noteOn } from './messages.js';
import { MidiRecorder, RECORD_PPQ } from './recorder.js';

describe('MidiRecorder', () => {
  it('writes a format-0 file with the tempo and delta times from the send times', () => {
    const r = new MidiRecorder(120);
    r.add(noteOn(1, 60, 100), 1000);
    r.add(noteOff(1, 60), 1500); // one beat later at 120 BPM
    const bytes = r.toBytes();
    const text = String.fromCharCode(...bytes.slice(0, 4));
    expect(text).toBe('MThd');
    expect((bytes[12] as number) * 256 + (bytes[13] as number)).toBe(RECORD_PPQ);
    const track = [...bytes.slice(22)];
    // tempo 500000 us = 0x07A120
    expect(track.slice(0, 7)).toEqual([0, 0xff, 0x51, 3, 0x07, 0xa1, 0x20]);
    // note-on at delta 0; note-off after 960 ticks = 0x87 0x40 as a variable-length quantity
    expect(track.slice(7, 11)).toEqual([0, 0x91, 60, 100]);
    expect(track.slice(11, 16)).toEqual([0x87, 0x40, 0x81, 60, 0]);
    expect(track.slice(-4)).toEqual([0, 0xff, 0x2f, 0]);
    const len = new DataView(bytes.buffer).getUint32(18);
    expect(len).toBe(bytes.length - 22);
  });
});
