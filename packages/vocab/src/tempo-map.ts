import type { RawTempo } from './smf.js';

/**
 * Tick -> seconds from the file's tempo changes (120 BPM until the first one, as the MIDI spec says).
 * Built once per file; each lookup is a binary search over the tempo changes.
 */
export function createTempoMap(tempos: readonly RawTempo[], ppq: number): (tick: number) => number {
  // Stable sort keeps file order for changes at the same tick, so the last one listed wins.
  const sorted = [...tempos].sort((a, b) => a.tick - b.tick);
  const ticks: number[] = [0];
  const seconds: number[] = [0];
  const secPerTick: number[] = [0.5 / ppq];
  for (const t of sorted) {
    const i = ticks.length - 1;
    const at = seconds[i]! + (t.tick - ticks[i]!) * secPerTick[i]!;
    if (t.tick === ticks[i]) {
      secPerTick[i] = t.microsPerBeat / 1e6 / ppq;
    } else {
      ticks.push(t.tick);
      seconds.push(at);
      secPerTick.push(t.microsPerBeat / 1e6 / ppq);
    }
  }
  if (ticks.length === 1) {
    const k = secPerTick[0]!;
    return (tick) => tick * k;
  }
  return (tick) => {
    let lo = 0;
    let hi = ticks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ticks[mid]! <= tick) lo = mid;
      else hi = mid - 1;
    }
    return seconds[lo]! + (tick - ticks[lo]!) * secPerTick[lo]!;
  };
}
