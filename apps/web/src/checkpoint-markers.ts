import type uPlot from 'uplot';

export interface Marker {
  x: number;
  best: boolean;
  label: string;
}

/**
 * uPlot plugin drawing a dashed vertical line per checkpoint (solid green for the best one). Markers are
 * read through a getter at draw time, so updating them only needs a redraw, not a new plot.
 */
export function checkpointMarkers(getMarkers: () => readonly Marker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        ctx.save();
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        for (const m of getMarkers()) {
          const x = Math.round(u.valToPos(m.x, 'x', true));
          if (x < left || x > left + width) continue;
          ctx.strokeStyle = m.best ? 'rgba(0, 140, 70, 0.9)' : 'rgba(90, 90, 90, 0.45)';
          ctx.setLineDash(m.best ? [] : [4 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}
