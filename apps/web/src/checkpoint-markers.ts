import type uPlot from 'uplot';

export interface Marker {
  x: number;
  best: boolean;
  label: string;
}

/** Tick heights in CSS pixels: short enough that 50+ checkpoints leave the curves readable. */
export const TICK_PX = 8;
export const BEST_TICK_PX = 14;

/**
 * uPlot plugin drawing each checkpoint as a thin tick rising from the x axis (a taller green one for the
 * best checkpoint) instead of a line across the plot: with a checkpoint every few steps, full-height
 * lines hid the curves. Markers are read through a getter at draw time, so updating them only needs a
 * redraw, not a new plot. `drawn` receives the x positions (CSS pixels, plot-relative) actually drawn.
 */
export function checkpointMarkers(
  getMarkers: () => readonly Marker[],
  drawn: (xs: { x: number; best: boolean }[]) => void = () => {},
): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const ratio = devicePixelRatio || 1;
        const bottom = top + height;
        const out: { x: number; best: boolean }[] = [];
        ctx.save();
        ctx.lineWidth = Math.max(1, ratio);
        // Periodic ticks first, so the best one is drawn on top where they coincide.
        const markers = [...getMarkers()].sort((a, b) => Number(a.best) - Number(b.best));
        for (const m of markers) {
          const x = Math.round(u.valToPos(m.x, 'x', true));
          if (!Number.isFinite(x) || x < left || x > left + width) continue;
          // Darker and wider than uPlot's grid ticks, which checkpoints at round steps fall next to.
          ctx.strokeStyle = m.best ? 'rgb(0, 140, 70)' : 'rgb(55, 55, 55)';
          ctx.lineWidth = (m.best ? 3 : 2) * ratio;
          ctx.beginPath();
          ctx.moveTo(x, bottom);
          ctx.lineTo(x, bottom - (m.best ? BEST_TICK_PX : TICK_PX) * ratio);
          ctx.stroke();
          out.push({ x: (x - left) / ratio, best: m.best });
        }
        ctx.restore();
        drawn(out);
      },
    },
  };
}
