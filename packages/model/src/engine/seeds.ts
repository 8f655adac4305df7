/** Dropout seed of micro-batch `index` within a step: non-zero, independent of how workers split the step. */
export function microBatchSeed(dropoutSeed: number, index: number): number {
  let h = Math.imul((dropoutSeed | 0) ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(index + 1, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  h ^= h >>> 13;
  return h & 0x7fffffff || 1;
}
