// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitRollCanvas } from './roll-canvas.js';

afterEach(() => vi.unstubAllGlobals());

describe('fitRollCanvas', () => {
  it('sizes the canvas in device pixels and scales the context back to CSS pixels', () => {
    vi.stubGlobal('devicePixelRatio', 2);
    const canvas = document.createElement('canvas');
    Object.defineProperty(canvas, 'clientWidth', { value: 640 });
    const setTransform = vi.fn();
    canvas.getContext = (() => ({ setTransform })) as unknown as typeof canvas.getContext;
    const fitted = fitRollCanvas(canvas, 180);
    expect(fitted?.width).toBe(640);
    expect([canvas.width, canvas.height, canvas.style.height]).toEqual([1280, 360, '180px']);
    expect(setTransform).toHaveBeenCalledWith(2, 0, 0, 2, 0, 0);
  });

  it('falls back to 800 CSS pixels before layout, never under 300, and to null without a 2D context', () => {
    vi.stubGlobal('devicePixelRatio', 1);
    const canvas = document.createElement('canvas');
    canvas.getContext = (() => null) as unknown as typeof canvas.getContext;
    expect(fitRollCanvas(canvas, 240)).toBeNull();
    expect([canvas.width, canvas.height]).toEqual([800, 240]);
    Object.defineProperty(canvas, 'clientWidth', { value: 120 });
    fitRollCanvas(canvas, 240);
    expect(canvas.width).toBe(300);
  });
});
