/// <reference lib="webworker" />
// The playground's generation thread. It runs the same generator as `mt generate`, from the TF-free entries
// of the model package (TF.js is never loaded), on WebAssembly SIMD kernels where the browser has them and
// plain JavaScript otherwise. The page stops a piece by terminating this worker, so nothing here polls.

import { type ModelFile, readModelFile } from '@music-transformer/model/formats';
import { createGenerator, type Generator } from '@music-transformer/model/generation';
import { importTorchModel, looksLikeTorchFile } from '@music-transformer/model/torch';
import {
  createVocab,
  midiToTokens,
  presets,
  tokensToMidiWithStats,
  tokensToNotes,
  type Vocab,
} from '@music-transformer/vocab';
import { vocabForModel } from './model-vocab.js';
import type { PlayNote, WorkerReply, WorkerRequest } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;

/** How often the piece so far is sent to the page while generating. */
const PROGRESS_MS = 100;

let loaded: { generator: Generator; vocab: Vocab } | null = null;

const reply = (message: WorkerReply, transfer: Transferable[] = []) => self.postMessage(message, transfer);

function notesOf(tokens: readonly number[], vocab: Vocab): PlayNote[] {
  return tokensToNotes(tokens, { vocab }).notes;
}

interface LoadedFile {
  hparams: ModelFile['hparams'];
  weights: Map<string, Float32Array>;
  vocab: Vocab;
}

/**
 * A PyTorch `.pt` of the original project, imported in memory with the same call as `mt generate`
 * (and `mt import`). Its vocabulary is the seed preset when the size fits, as `mt import` records it.
 * A bare state_dict stores no hyperparameters: the page has no flags to take them, so the error says
 * to convert the file once with `mt import`, which does.
 */
function loadTorch(name: string, bytes: Uint8Array): LoadedFile {
  let model: ReturnType<typeof importTorchModel>;
  try {
    model = importTorchModel(bytes, { fileName: name, hparams: {} });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'BAD_HPARAMS') {
      throw new Error(
        `${(error as Error).message}; convert it once with: mt import ${name} model.safetensors <those flags>, then drop model.safetensors`,
      );
    }
    throw error;
  }
  const seed = createVocab(presets.seed);
  const stored = seed.size === model.hparams.vocab_size ? presets.seed : undefined;
  const vocab = vocabForModel(stored, model.hparams.vocab_size, name);
  return { hparams: model.hparams, weights: model.weights, vocab };
}

function loadSafetensors(name: string, bytes: Uint8Array): LoadedFile {
  const file = readModelFile(bytes, { fileName: name });
  const vocab = vocabForModel(file.vocab, file.hparams.vocab_size, name);
  return { hparams: file.hparams, weights: file.weights, vocab };
}

function load(name: string, buffer: ArrayBuffer): void {
  const bytes = new Uint8Array(buffer);
  const file = looksLikeTorchFile(bytes) ? loadTorch(name, bytes) : loadSafetensors(name, bytes);
  const { vocab } = file;
  const generator = createGenerator(
    { hparams: file.hparams, weights: Object.fromEntries(file.weights) },
    { vocab },
  );
  loaded = { generator, vocab };
  let parameters = 0;
  for (const w of file.weights.values()) parameters += w.length;
  reply({
    type: 'loaded',
    model: {
      name,
      parameters,
      vocab: vocab.config.name,
      kernels: generator.kernels,
      minPitch: vocab.config.minPitch,
      maxPitch: vocab.config.maxPitch,
      pitchRange: true,
    },
  });
}

function generate(request: Extract<WorkerRequest, { type: 'generate' }>): void {
  if (loaded === null) throw new Error('no model is loaded');
  const { generator, vocab } = loaded;
  const s = request.settings;
  let primer: number[] = [];
  if (request.primer !== undefined) {
    const { name, bytes } = request.primer;
    primer = Array.from(midiToTokens(new Uint8Array(bytes), { fileName: name, vocab }).tokens);
    if (primer.length === 0) throw new Error(`primer file ${name} has no notes to continue`);
    reply({ type: 'primer', tokens: primer.length, notes: notesOf(primer, vocab) });
  }
  // The piece so far, as written to the file: <start> and the primer (unless continuation-only), then
  // the continuation; decoded to notes again at each progress message (a few ms for a few thousand tokens).
  const shown: number[] = s.continuationOnly ? [] : [...primer];
  let lastSent = performance.now();
  const started = performance.now();
  // Exactly mt generate's call (packages/cli generate command), so the file is the same for the same flags.
  const result = generator.generate({
    primer,
    maxTokens: s.maxTokens,
    seed: s.seed,
    mode: 'categorical',
    temperature: s.temperature,
    ...(s.topK > 0 ? { topK: s.topK } : {}),
    topP: s.topP,
    ...(s.seconds !== null ? { maxSeconds: s.seconds } : {}),
    minSeconds: s.minSeconds,
    grammar: true,
    // Absent = the generator's default range (a piano's), as mt generate without --pitch-range.
    ...(s.pitchRange !== null ? { pitchRange: { low: s.pitchRange[0], high: s.pitchRange[1] } } : {}),
    closeNotes: true,
    onToken: (token, index) => {
      shown.push(token);
      const now = performance.now();
      if (now - lastSent >= PROGRESS_MS) {
        lastSent = now;
        reply({ type: 'progress', generated: index + 1, notes: notesOf(shown, vocab) });
      }
    },
  });
  const ms = performance.now() - started;
  const written = s.continuationOnly
    ? result.generated
    : [...result.tokens.slice(0, result.tokens.length - result.generated.length), ...result.generated];
  const { bytes } = tokensToMidiWithStats(written, { vocab, bpm: 120, name: request.trackName });
  reply(
    {
      type: 'done',
      generated: result.generated.length,
      stopReason: result.stopReason,
      seconds: result.seconds,
      notes: notesOf(written, vocab),
      midi: bytes,
      ms,
    },
    [bytes.buffer],
  );
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'load') load(request.name, request.bytes);
    else generate(request);
  } catch (e) {
    reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
