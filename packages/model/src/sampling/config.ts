import { ModelError } from '../errors.js';
import type { SamplingConfig, SamplingOptions } from './types.js';

export const defaultSampling: SamplingConfig = Object.freeze({
  temperature: 1,
  topK: null,
  topP: 1,
  mode: 'categorical',
});

const KNOWN_KEYS = new Set(['temperature', 'topK', 'topP', 'mode']);

function fail(message: string): never {
  throw new ModelError('BAD_INPUT', message);
}

/**
 * Validates sampling options at the boundary (CLI flags, live-bridge messages) and merges them over `base`.
 * Unknown keys are refused so that a misspelt option (`top_k`) does not vanish silently.
 */
export function parseSamplingOptions(
  options: SamplingOptions | undefined,
  base: SamplingConfig = defaultSampling,
): SamplingConfig {
  if (options === undefined) return { ...base };
  if (typeof options !== 'object' || options === null)
    fail(`sampling options must be an object, got ${options}`);
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) fail(`unknown sampling option '${key}' (known: ${[...KNOWN_KEYS].join(', ')})`);
  }
  const { temperature, topK, topP, mode } = options;
  if (
    temperature !== undefined &&
    !(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))
  ) {
    fail(`temperature must be a finite number > 0, got ${temperature}`);
  }
  if (topK !== undefined && topK !== null && !(Number.isInteger(topK) && topK >= 1)) {
    fail(`topK must be an integer >= 1, got ${topK}`);
  }
  if (topP !== undefined && !(typeof topP === 'number' && topP > 0 && topP <= 1)) {
    fail(`topP must be a number with 0 < topP <= 1, got ${topP}`);
  }
  if (mode !== undefined && mode !== 'categorical' && mode !== 'argmax') {
    fail(`mode must be 'categorical' or 'argmax', got '${mode}'`);
  }
  return {
    temperature: temperature ?? base.temperature,
    topK: topK === undefined ? base.topK : topK,
    topP: topP ?? base.topP,
    mode: mode ?? base.mode,
  };
}
