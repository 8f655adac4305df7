import { describe, expect, it } from 'vitest';
import { fromBytes, resolvePortName } from './ports.js';

describe('resolvePortName', () => {
  const ports = ['RtMidi Output Client:Music Transformer', 'IAC Driver Bus 1', 'loopMIDI Port'];

  it('prefers an exact name, else a unique case-insensitive substring', () => {
    expect(resolvePortName('IAC Driver Bus 1', ports, 'output')).toBe('IAC Driver Bus 1');
    expect(resolvePortName('music transformer', ports, 'output')).toBe(ports[0]);
  });

  it('names the ports when nothing or several match', () => {
    expect(() => resolvePortName('Ableton', ports, 'output')).toThrow(
      expect.objectContaining({
        code: 'PORT_NOT_FOUND',
        message: expect.stringContaining("'loopMIDI Port'"),
      }),
    );
    expect(() => resolvePortName('i', ports, 'input')).toThrow(
      expect.objectContaining({ code: 'PORT_AMBIGUOUS' }),
    );
  });
});

describe('fromBytes', () => {
  it('parses note, cc and transport messages and drops the rest', () => {
    expect(fromBytes([0x92, 60, 5])).toEqual({ type: 'noteon', channel: 2, note: 60, velocity: 5 });
    expect(fromBytes([0x8f, 61, 0])).toEqual({ type: 'noteoff', channel: 15, note: 61, velocity: 0 });
    expect(fromBytes([0xb0, 21, 127])).toEqual({ type: 'cc', channel: 0, controller: 21, value: 127 });
    expect(fromBytes([0xfc])).toEqual({ type: 'stop' });
    expect(fromBytes([0xf0, 1, 2, 0xf7])).toBeNull();
    expect(fromBytes([0xe0, 0, 64])).toBeNull();
  });
});
