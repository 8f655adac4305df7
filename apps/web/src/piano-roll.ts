export interface RollNote {
  pitch: number;
  /** Seconds. */
  start: number;
  end: number;
  /** 0..1 */
  velocity: number;
}

export interface RollView {
  t0: number;
  t1: number;
  lowPitch: number;
  highPitch: number;
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Pitch span to draw: the notes' range padded by 2 semitones, at least two octaves, inside 0..127. */
export function pitchRange(notes: readonly RollNote[]): [number, number] {
  if (notes.length === 0) return [48, 72];
  let lo = 127;
  let hi = 0;
  for (const n of notes) {
    lo = Math.min(lo, n.pitch);
    hi = Math.max(hi, n.pitch);
  }
  lo -= 2;
  hi += 2;
  const missing = 24 - (hi - lo);
  if (missing > 0) {
    lo -= Math.floor(missing / 2);
    hi += Math.ceil(missing / 2);
  }
  // At the ends of the MIDI range, slide the window instead of shrinking it.
  if (lo < 0) [lo, hi] = [0, hi - lo];
  if (hi > 127) [lo, hi] = [Math.max(0, lo - (hi - 127)), 127];
  return [lo, hi];
}

/** Where a note lands on the canvas: time runs left to right, higher pitches are higher up. */
export function noteRect(note: RollNote, view: RollView): Rect {
  const rows = view.highPitch - view.lowPitch + 1;
  const rowH = view.height / rows;
  const scale = view.width / Math.max(1e-9, view.t1 - view.t0);
  const x = (note.start - view.t0) * scale;
  const w = Math.max(1, (note.end - note.start) * scale);
  const y = (view.highPitch - note.pitch) * rowH;
  return { x, y, w, h: Math.max(1, rowH - 0.5) };
}

const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);

/** Draws a roll: shaded black-key rows, C lines, notes coloured by velocity, optional playhead. */
export function drawRoll(
  ctx: CanvasRenderingContext2D,
  notes: readonly RollNote[],
  view: RollView,
  options: { playhead?: number; color?: string } = {},
): void {
  const { width, height, lowPitch, highPitch } = view;
  ctx.clearRect(0, 0, width, height);
  const rows = highPitch - lowPitch + 1;
  const rowH = height / rows;
  for (let p = lowPitch; p <= highPitch; p++) {
    const y = (highPitch - p) * rowH;
    if (BLACK_KEYS.has(p % 12)) {
      ctx.fillStyle = '#f1f3f6';
      ctx.fillRect(0, y, width, rowH);
    }
    if (p % 12 === 0) {
      ctx.fillStyle = '#c9ced6';
      ctx.fillRect(0, y + rowH - 1, width, 1);
    }
  }
  const color = options.color ?? '0, 114, 178';
  for (const n of notes) {
    if (n.end < view.t0 || n.start > view.t1 || n.pitch < lowPitch || n.pitch > highPitch) continue;
    const r = noteRect(n, view);
    ctx.fillStyle = `rgba(${color}, ${0.35 + 0.65 * Math.min(1, Math.max(0, n.velocity))})`;
    ctx.fillRect(r.x, r.y, r.w, r.h);
  }
  if (options.playhead !== undefined) {
    const x = ((options.playhead - view.t0) / (view.t1 - view.t0)) * width;
    ctx.fillStyle = '#d55e00';
    ctx.fillRect(Math.round(x), 0, 2, height);
  }
}
