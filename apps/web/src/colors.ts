/**
 * The Okabe-Ito colour-blind safe set without its yellow (unreadable on white): seven hues any two of
 * which can be told apart, since any two may be drawn together. Lines of one run share its hue.
 */
export const RUN_PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
] as const;

/** FNV-1a over the UTF-16 code units: a cheap, well-mixed hash that is the same in every browser. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface ColoredRun {
  name: string;
  startTime: number | null;
}

/**
 * One colour per run of the log directory, derived from its name so it does not depend on which runs
 * are selected or compared, or on the order the server lists them in. A run takes the palette slot its
 * name hashes to; when an older run (earlier start, then name) already holds that slot it takes the next
 * free one, so runs listed together differ until the palette is used up. A run started later never
 * moves an older run's colour, so colours stay put while new runs appear.
 */
export function assignRunColors(runs: readonly ColoredRun[]): Map<string, string> {
  const ordered = [...runs].sort(
    (a, b) =>
      (a.startTime ?? Number.POSITIVE_INFINITY) - (b.startTime ?? Number.POSITIVE_INFINITY) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const n = RUN_PALETTE.length;
  const taken = new Set<number>();
  const colors = new Map<string, string>();
  for (const run of ordered) {
    const home = hashName(run.name) % n;
    let slot = home;
    if (taken.size < n) {
      while (taken.has(slot)) slot = (slot + 1) % n;
    }
    taken.add(slot);
    colors.set(run.name, RUN_PALETTE[slot] as string);
  }
  return colors;
}

/** The colour of `run`, or the palette slot its name hashes to when the run is not (yet) listed. */
export function colorOf(colors: ReadonlyMap<string, string>, run: string): string {
  return colors.get(run) ?? (RUN_PALETTE[hashName(run) % RUN_PALETTE.length] as string);
}

/** Same hue, lighter: raw values under a smoothed curve, or a second line (validation) of a run. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
