import { describe, expect, it } from 'vitest';
import { assignRunColors, colorOf, hashName, RUN_PALETTE } from './colors.js';

const runs = (names: string[]) => names.map((name, i) => ({ name, startTime: 1000 + i }));

describe('run colours', () => {
  it('do not depend on the order the runs are listed in', () => {
    const a = assignRunColors(runs(['base', 'lr-3e-4', 'wide', 'deep']));
    const listed = assignRunColors(runs(['base', 'lr-3e-4', 'wide', 'deep']).reverse());
    expect([...listed.entries()].sort()).toEqual([...a.entries()].sort());
  });

  it('differ between runs while the palette lasts, whatever the hash collisions', () => {
    const names = Array.from({ length: RUN_PALETTE.length }, (_, i) => `run-${i}`);
    const colors = assignRunColors(runs(names));
    expect(new Set(colors.values()).size).toBe(RUN_PALETTE.length);
  });

  it('keep an older run colour when a newer run appears', () => {
    const names = Array.from({ length: 6 }, (_, i) => `exp${i}`);
    const before = assignRunColors(runs(names));
    const after = assignRunColors([...runs(names), { name: 'late', startTime: 99_999 }]);
    for (const name of names) expect(after.get(name)).toBe(before.get(name));
  });

  it('give a run alone the slot its name hashes to', () => {
    const colors = assignRunColors(runs(['solo']));
    expect(colors.get('solo')).toBe(RUN_PALETTE[hashName('solo') % RUN_PALETTE.length]);
    expect(colorOf(new Map(), 'solo')).toBe(colors.get('solo'));
  });

  it('hash names apart', () => {
    expect(hashName('a')).not.toBe(hashName('b'));
    expect(hashName('')).toBe(0x811c9dc5);
  });
});
