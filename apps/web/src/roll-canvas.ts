/**
 * Sizes `canvas` for a piano roll `height` CSS pixels tall across its laid-out width (at least 300; 800
 * before layout), at the screen's pixel ratio so notes stay sharp, and returns its 2D context scaled back
 * to CSS pixels, with that width; null when the canvas has no 2D context.
 */
export function fitRollCanvas(
  canvas: HTMLCanvasElement,
  height: number,
): { ctx: CanvasRenderingContext2D; width: number } | null {
  const width = Math.max(300, canvas.clientWidth || 800);
  const ratio = devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width };
}
