import { describe, expect, it } from 'vitest';
import { controlFromCc, validateCcMap, validateControls } from './controls.js';

describe('controls', () => {
  it('accepts valid updates and names the bad control and value', () => {
    expect(validateControls({ temperature: 0.9, topK: 8 })).toEqual({ temperature: 0.9, topK: 8 });
    expect(() => validateControls({ topP: 1.5 })).toThrow(/topP must be a number in \(0, 1\].*1\.5/);
    expect(() => validateControls({ temprature: 1 })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION' }),
    );
  });

  it('maps CC values onto each range', () => {
    expect(controlFromCc('temperature', 0)).toBe(0.1);
    expect(controlFromCc('temperature', 127)).toBe(2);
    expect(controlFromCc('topP', 127)).toBe(1);
    expect(controlFromCc('density', 0)).toBe(0);
    expect(controlFromCc('topK', 40)).toBe(40);
  });

  it('rejects a CC used twice or out of range', () => {
    expect(() => validateCcMap({ temperature: 21, density: 21 })).toThrow(/CC 21 is mapped to both/);
    expect(() => validateCcMap({ topK: 128 })).toThrow(/0\.\.127/);
  });
});
