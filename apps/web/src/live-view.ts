import type { LiveEvent } from '@music-transformer/dashboard/protocol';
import { h } from './dom.js';
import { formatNumber } from './format.js';
import { applyLive, emptyLive } from './live-state.js';
import { drawRoll, pitchRange } from './piano-roll.js';
import { PitchAxis } from './pitch-axis.js';
import { fitRollCanvas } from './roll-canvas.js';

const WINDOW_S = 10;
const ROLL_HEIGHT = 180;
/** Buffer meter full scale (seconds of music generated ahead). */
const BUFFER_FULL_S = 8;

/**
 * The live-bridge panel: a piano roll scrolling with the notes the bridge sends, the buffer level and
 * the underrun count. Hidden until the first live event arrives.
 */
export class LiveView {
  readonly el: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly meter: HTMLMeterElement;
  private readonly stats: HTMLElement;
  private readonly axis = new PitchAxis('live-roll-axis');
  private readonly state = emptyLive();
  /** performance.now() when `state.now` was last advanced, to keep scrolling between events. */
  private lastEventAt = 0;
  private frame = 0;

  constructor() {
    this.canvas = h('canvas', { className: 'roll' });
    this.canvas.dataset.testid = 'live-roll';
    this.meter = h('meter', { min: 0, max: BUFFER_FULL_S, low: 1, optimum: BUFFER_FULL_S, value: 0 });
    this.stats = h('span', { className: 'live-stats' });
    this.stats.dataset.testid = 'live-stats';
    this.el = h('section', { className: 'card', id: 'live', hidden: true }, [
      h('h3', {}, ['Live bridge']),
      h('div', { className: 'live-bar' }, [h('label', {}, ['buffer ', this.meter]), this.stats]),
      h('div', { className: 'roll-wrap' }, [this.axis.el, this.canvas]),
    ]);
  }

  push(event: LiveEvent): void {
    const before = this.state.now;
    applyLive(this.state, event);
    if (this.state.now !== before) this.lastEventAt = performance.now();
    this.el.hidden = false;
    this.meter.value = Math.min(BUFFER_FULL_S, this.state.bufferSeconds ?? 0);
    this.stats.textContent =
      (this.state.bridgeState === null ? '' : `${this.state.bridgeState} · `) +
      `buffer ${formatNumber(this.state.bufferSeconds, 3)} s · underruns ${this.state.underruns}` +
      (this.state.lastLateMs === null ? '' : ` (last ${formatNumber(this.state.lastLateMs, 3)} ms late)`) +
      ` · ${formatNumber(this.state.tokensPerSecond, 4)} tokens/s`;
    this.el.dataset.underruns = String(this.state.underruns);
    this.el.dataset.notes = String(this.state.notes.length);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const fitted = fitRollCanvas(this.canvas, ROLL_HEIGHT);
    if (!fitted) return;
    const { ctx, width } = fitted;
    // Keep scrolling between events, but not forever once the bridge goes quiet.
    const drift = Math.min(2, (performance.now() - this.lastEventAt) / 1000);
    const t1 = this.state.now + drift;
    const notes = this.state.notes.map((n) => ({
      pitch: n.pitch,
      start: n.start,
      end: n.end ?? t1,
      velocity: n.velocity / 127,
    }));
    const [lowPitch, highPitch] = pitchRange(notes);
    this.axis.update(lowPitch, highPitch, ROLL_HEIGHT);
    drawRoll(ctx, notes, { t0: t1 - WINDOW_S, t1, lowPitch, highPitch, width, height: ROLL_HEIGHT });
    if (drift < 2) this.frame = requestAnimationFrame(() => this.draw());
  }
}
