/**
 * Sinusoidal absolute positions as in the original (interleaved): dim k of position p uses the angle
 * p / 10000^(2*floor(k/2)/dModel), sin on even k, cos on odd k. Returns [len, dModel] row-major.
 */
export function sinusoidTable(len: number, dModel: number): Float32Array {
  const out = new Float32Array(len * dModel);
  for (let p = 0; p < len; p++) {
    for (let k = 0; k < dModel; k++) {
      const angle = p / 10000 ** ((2 * Math.floor(k / 2)) / dModel);
      out[p * dModel + k] = k % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}
