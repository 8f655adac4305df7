import { h } from './dom.js';

const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'] as const;

/** Scientific pitch name of a MIDI note: 60 is C4 (middle C), 69 is A4, 21 is A0, 0 is C-1. */
export function pitchName(pitch: number): string {
  return `${NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

export interface PitchLabel {
  pitch: number;
  name: string;
  /** Centre of the pitch's row, CSS pixels from the top of the roll. */
  y: number;
}

/** Rows shorter than this get a label only on every C; taller rows are labelled each. */
const MIN_ROW_FOR_ALL_PX = 12;

/**
 * The labels of a roll's pitch axis, with rows laid out as `noteRect` does (highest pitch at the top):
 * every C always (octave landmarks), every pitch when the rows are tall enough to read them.
 */
export function pitchLabels(lowPitch: number, highPitch: number, height: number): PitchLabel[] {
  const rows = highPitch - lowPitch + 1;
  const rowH = height / rows;
  const out: PitchLabel[] = [];
  for (let p = highPitch; p >= lowPitch; p--) {
    if (rowH < MIN_ROW_FOR_ALL_PX && p % 12 !== 0) continue;
    out.push({ pitch: p, name: pitchName(p), y: (highPitch - p + 0.5) * rowH });
  }
  return out;
}

/**
 * A piano roll canvas with its pitch axis: the labels are DOM text beside the canvas, so they stay
 * sharp, are selectable and can be read by tests and screen readers.
 */
export class PitchAxis {
  readonly el: HTMLElement;
  private key = '';

  constructor(testid: string) {
    this.el = h('div', { className: 'pitch-axis' });
    this.el.dataset.testid = testid;
  }

  update(lowPitch: number, highPitch: number, height: number): void {
    const key = `${lowPitch}|${highPitch}|${height}`;
    if (key === this.key) return;
    this.key = key;
    this.el.style.height = `${height}px`;
    this.el.replaceChildren(
      ...pitchLabels(lowPitch, highPitch, height).map((l) => {
        const span = h('span', {}, [l.name]);
        span.dataset.pitch = String(l.pitch);
        span.style.top = `${l.y}px`;
        return span;
      }),
    );
  }

  clear(): void {
    this.key = '';
    this.el.replaceChildren();
  }
}
