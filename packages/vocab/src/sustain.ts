import type { RawController, RawNote } from './smf.js';

/**
 * Applies the sustain pedal (CC64, down when value >= 64) the way Magenta does: a key released while the
 * pedal is down keeps sounding until the pedal lifts, or until the same key is struck again on the same
 * channel, whichever is first. The pedal of channel c only affects notes of channel c (from any track).
 * Mutates `endTick` in place and returns how many notes were lengthened.
 */
export function applySustain(notes: RawNote[], pedal: readonly RawController[], lastTick: number): number {
  if (pedal.length === 0) return 0;
  const intervals = pedalIntervals(pedal, lastTick);
  // Per channel + pitch, onsets in time order, to find "struck again".
  const byKey = new Map<number, RawNote[]>();
  for (const n of notes) {
    if (!intervals.has(n.channel)) continue;
    const key = n.channel * 128 + n.pitch;
    let list = byKey.get(key);
    if (!list) {
      list = [];
      byKey.set(key, list);
    }
    list.push(n);
  }
  let extended = 0;
  for (const list of byKey.values()) {
    list.sort((a, b) => a.startTick - b.startTick);
    const iv = intervals.get(list[0]!.channel)!;
    for (let i = 0; i < list.length; i++) {
      const n = list[i]!;
      const up = pedalUpAfter(iv, n.endTick);
      if (up === undefined) continue;
      const next = list[i + 1]?.startTick ?? Number.POSITIVE_INFINITY;
      const newEnd = Math.min(up, next);
      if (newEnd > n.endTick) {
        n.endTick = newEnd;
        extended++;
      }
    }
  }
  return extended;
}

/** Per channel, [down, up) tick pairs sorted by down; a pedal never lifted ends at `lastTick`. */
function pedalIntervals(pedal: readonly RawController[], lastTick: number): Map<number, number[]> {
  const byChannel = new Map<number, RawController[]>();
  for (const e of pedal) {
    let list = byChannel.get(e.channel);
    if (!list) {
      list = [];
      byChannel.set(e.channel, list);
    }
    list.push(e);
  }
  const out = new Map<number, number[]>();
  for (const [channel, events] of byChannel) {
    // Stable sort: events of several tracks merged by time, file order kept at equal ticks.
    events.sort((a, b) => a.tick - b.tick);
    const flat: number[] = [];
    let downAt = -1;
    for (const e of events) {
      if (e.value >= 64 && downAt < 0) downAt = e.tick;
      else if (e.value < 64 && downAt >= 0) {
        if (e.tick > downAt) flat.push(downAt, e.tick);
        downAt = -1;
      }
    }
    if (downAt >= 0 && lastTick > downAt) flat.push(downAt, lastTick);
    if (flat.length > 0) out.set(channel, flat);
  }
  return out;
}

/** The pedal-up tick of the interval with down <= tick < up, if the pedal is down at `tick`. */
function pedalUpAfter(flat: readonly number[], tick: number): number | undefined {
  let lo = 0;
  let hi = flat.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (flat[2 * mid]! <= tick) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const up = flat[2 * found + 1]!;
  return tick < up ? up : undefined;
}
