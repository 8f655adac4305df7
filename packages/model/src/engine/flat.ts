import { ModelError } from '../errors.js';
import type { ParamSpec } from '../params.js';

/** Offsets of each parameter in the flat vector (spec order). */
export interface FlatLayout {
  specs: readonly ParamSpec[];
  offsets: number[];
  sizes: number[];
  total: number;
}

export function flatLayout(specs: readonly ParamSpec[]): FlatLayout {
  const offsets: number[] = [];
  const sizes: number[] = [];
  let total = 0;
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    offsets.push(total);
    sizes.push(size);
    total += size;
  }
  return { specs, offsets, sizes, total };
}

export function flatten(
  layout: FlatLayout,
  byName: Record<string, Float32Array>,
  what: string,
): Float32Array {
  const out = new Float32Array(layout.total);
  layout.specs.forEach((s, i) => {
    const v = byName[s.name];
    if (v === undefined) throw new ModelError('BAD_WEIGHTS', `${what}: missing tensor '${s.name}'`);
    if (v.length !== layout.sizes[i]) {
      throw new ModelError(
        'BAD_WEIGHTS',
        `${what}: tensor '${s.name}' has ${v.length} values, expected [${s.shape}]`,
      );
    }
    out.set(v, layout.offsets[i]);
  });
  const extra = Object.keys(byName).find((n) => !layout.specs.some((s) => s.name === n));
  if (extra !== undefined) throw new ModelError('BAD_WEIGHTS', `${what}: unexpected tensor '${extra}'`);
  return out;
}

/** Copies (not views) per name, so callers may keep them while training goes on. */
export function unflatten(layout: FlatLayout, flat: Float32Array): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  layout.specs.forEach((s, i) => {
    out[s.name] = flat.slice(layout.offsets[i], layout.offsets[i]! + layout.sizes[i]!);
  });
  return out;
}
