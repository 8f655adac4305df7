import { suppressSpecials, temperature, topK, topP } from './processors.js';
import type { LogitsProcessor, SamplingConfig } from './types.js';

/**
 * Assembles the processor list from checked settings, skipping neutral ones. Order matters: the special-id
 * suppression comes first so that a suppressed id never takes one of the top-k slots or nucleus mass;
 * temperature comes before top-p because it changes the probabilities top-p measures.
 * In argmax mode only the suppression is kept: temperature, top-k and top-p never change the argmax.
 */
export function buildProcessors(
  config: SamplingConfig,
  specials: { pad: number; start: number },
): LogitsProcessor[] {
  const list: LogitsProcessor[] = [suppressSpecials(specials)];
  if (config.mode === 'argmax') return list;
  if (config.temperature !== 1) list.push(temperature(config.temperature));
  if (config.topK !== null) list.push(topK(config.topK));
  if (config.topP < 1) list.push(topP(config.topP));
  return list;
}
