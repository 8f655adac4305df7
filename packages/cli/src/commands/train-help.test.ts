import { hparamPresets } from '@music-transformer/model/hparams';
import { describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIo } from '../test-utils/capture-io.js';
import { COMMANDS } from './index.js';

describe('mt train --help', () => {
  it("shows the default preset's architecture as the flags' defaults", async () => {
    const { io, out } = captureIo();
    expect(await runCli(['train', '--help'], { io }, COMMANDS)).toBe(0);
    // Commander wraps long help lines: compare on one line.
    const help = out().replace(/\s+/g, ' ');
    const d = hparamPresets.default;
    for (const text of [
      `model width (default ${d.d_model})`,
      `decoder layers (default ${d.num_layers})`,
      `attention heads (default ${d.num_heads})`,
      `feed-forward width (default ${d.d_ff})`,
      `relative attention distances (default ${d.max_rel_dist}; 0 = plain attention)`,
      `absolute position table length (default ${d.max_abs_position}${d.max_abs_position === 0 ? ' = none' : '; 0 = none'})`,
      `dropout rate (default ${d.dropout})`,
      `layer norm epsilon (default ${d.layernorm_eps.toExponential()})`,
      `layer norm placement (default ${d.norm}, as the original's code)`,
    ]) {
      expect(help).toContain(text);
    }
    // What the presets hold today, so a changed preset shows up in help (and here) on purpose.
    expect(help).toContain('model width (default 128)');
    expect(help).toContain('layer norm epsilon (default 1e-6)');
  });
});
