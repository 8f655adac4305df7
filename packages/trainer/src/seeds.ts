/**
 * Derives a 32-bit seed from integers with the murmur3 finalizer, so each (run seed, step, micro-batch)
 * gets its own dropout stream and a resumed run re-derives the same seeds without stored state. Never 0:
 * TF.js treats a 0 seed as "no seed".
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Fold both 32-bit halves of p so that step numbers above 2^32 still differ.
    const lo = p >>> 0;
    const hi = Math.floor(p / 2 ** 32) >>> 0;
    h = fmix(h ^ lo);
    h = fmix(h ^ hi ^ 0x85ebca6b);
  }
  return h === 0 ? 1 : h;
}

function fmix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
