import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ModelError } from '../errors.js';
import { hparamPresets, parseHParams } from '../hparams.js';
import { MODEL_FORMAT } from '../model-file.js';
import { initParams } from '../params.js';
import { decodeSafetensors } from '../safetensors.js';
import { exportRefusal, exportTorchCheckpoint } from './export-original.js';
import { importTorchModel } from './import-original.js';
import { encodeImportedModel, IMPORTED_MODEL_FORMAT } from './imported-safetensors.js';
import { PickleWriter } from './pickle-writer.js';
import { looksLikeTorchFile } from './sniff.js';

// Real PyTorch files are covered by test/torch (reference module, torch 1.13); these tests cover what
// needs no torch: our writer read back by our reader, and refusals of hand-made archives.

const hparams = parseHParams({ ...hparamPresets.tiny, norm: 'pre' });

function refusal(bytes: Uint8Array): ModelError {
  try {
    importTorchModel(bytes, { fileName: 'x.pt' });
  } catch (e) {
    return e as ModelError;
  }
  throw new Error('importTorchModel accepted the file');
}

describe('torch checkpoint format', () => {
  it('writes the model file format the rest of the package reads', () => {
    expect(IMPORTED_MODEL_FORMAT).toBe(MODEL_FORMAT);
  });

  it('export then import gives back the same hparams and bit-identical weights', () => {
    const weights = initParams(hparams, 7);
    const imported = importTorchModel(exportTorchCheckpoint(hparams, weights), { fileName: 'rt.pt' });
    expect(imported.layout).toBe('checkpoint');
    expect(imported.hparams).toEqual(hparams);
    expect(imported.notes).toEqual([]);
    for (const [name, values] of weights) expect(imported.weights.get(name)).toEqual(values);
    const file = decodeSafetensors(encodeImportedModel(imported), 'rt.safetensors');
    expect(JSON.parse(file.metadata.hparams!)).toEqual(hparams);
  });

  it('refuses what the original cannot represent', () => {
    expect(exportRefusal({ ...hparams, norm: 'post' })).toMatch(/post-LN/);
    expect(exportRefusal({ ...hparams, max_rel_dist: 0 })).toMatch(/max_rel_dist 0/);
    expect(() => exportTorchCheckpoint({ ...hparams, norm: 'post' }, initParams(hparams, 1))).toThrow(
      expect.objectContaining({ code: 'NOT_EXPORTABLE' }),
    );
  });

  it('tells torch files from safetensors by their first bytes', () => {
    expect(looksLikeTorchFile(exportTorchCheckpoint(hparams, initParams(hparams, 1)).subarray(0, 8))).toBe(
      true,
    );
    // A safetensors header of 640 bytes starts 0x80 0x02 like a pickle: not a torch file.
    expect(looksLikeTorchFile(Uint8Array.from([0x80, 0x02, 0, 0, 0, 0, 0, 0]))).toBe(false);
  });

  it('refuses a forbidden global by name, before calling anything', () => {
    const pickle = new PickleWriter().proto().global('os', 'system').string('true').stop();
    const e = refusal(zipSync({ 'a/data.pkl': pickle }, { level: 0 }));
    expect(e.code).toBe('BAD_TORCH_FILE');
    expect(e.message).toMatch(/^x\.pt: refers to the class os\.system/);
  });

  it('refuses compressed records without inflating them', () => {
    const pickle = new PickleWriter().proto().emptyDict().stop();
    const e = refusal(zipSync({ 'a/data.pkl': pickle, 'a/data/0': new Uint8Array(1 << 16) }, { level: 6 }));
    expect(e.message).toMatch(/^x\.pt: record 'a\/data.pkl' is compressed/);
  });

  it('refuses a dictionary that holds no state_dict, listing its keys', () => {
    const pickle = new PickleWriter().proto().emptyDict().mark().string('epoch').int(3).setItems().stop();
    expect(refusal(zipSync({ 'a/data.pkl': pickle }, { level: 0 })).message).toMatch(
      /neither a state_dict nor .*"epoch"/,
    );
  });
});
