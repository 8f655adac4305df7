/** One hue per overlaid run (colour-blind friendly Okabe-Ito order); lines of a run share its hue. */
const RUN_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

export function runColor(runIndex: number): string {
  return RUN_COLORS[runIndex % RUN_COLORS.length] as string;
}

/** Same hue, lighter: raw values under a smoothed curve, or a second line (validation) of a run. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
