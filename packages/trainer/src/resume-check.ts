/** One difference between a checkpoint and the options of the run trying to resume it. */
export interface Mismatch {
  what: string;
  checkpoint: unknown;
  now: unknown;
}

/** Compares two flat records key by key (union of keys); values compare by JSON text. */
export function diffRecords(
  prefix: string,
  checkpoint: Record<string, unknown>,
  now: Record<string, unknown>,
): Mismatch[] {
  const keys = [...new Set([...Object.keys(checkpoint), ...Object.keys(now)])].sort();
  const out: Mismatch[] = [];
  for (const k of keys) {
    if (JSON.stringify(checkpoint[k]) !== JSON.stringify(now[k])) {
      out.push({ what: `${prefix}.${k}`, checkpoint: checkpoint[k], now: now[k] });
    }
  }
  return out;
}

export function describeMismatches(ms: readonly Mismatch[]): string {
  return ms
    .map((m) => `${m.what}: checkpoint ${JSON.stringify(m.checkpoint)}, now ${JSON.stringify(m.now)}`)
    .join('; ');
}
