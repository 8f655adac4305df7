import { basename } from 'node:path';
import type { LiveBridge, MidiBackend, ModelSourceOptions, PortChoice } from '@music-transformer/live-bridge';
import { createRng, midiToTokens } from '@music-transformer/vocab';
import { type CliEnv, outputFor, watchStop } from '../command-kit.js';
import { dashboardPort } from '../dashboard-option.js';
import { CliError } from '../errors.js';
import { prepareDestination, readMidi, writeOutput } from '../files.js';
import { modelPackage } from '../lazy-packages.js';
import { loadModelSource, type ModelSource } from '../model-source.js';
import type { Output } from '../output.js';
import { pitchRangeOf, type SamplingFlags, seedOf } from '../sampling-options.js';
import type { LiveFlags } from './live-options.js';

/**
 * `mt live`'s work, apart from its flag declarations so that tests can call it directly: lists the
 * MIDI ports, or plays the model until `env.stops` aborts (SIGINT or SIGTERM unless a test injects
 * its own) or `--duration` ends, then writes the `--record` take and prints the result.
 */
export async function runLive(modelArg: string | undefined, flags: LiveFlags, env: CliEnv): Promise<void> {
  const out = outputFor(env, flags);
  checkUsage(flags);
  const { monotonicClock, openMidiBackend } = await import('@music-transformer/live-bridge');
  const backend = await openMidiBackend(monotonicClock);
  if (flags.listPorts) {
    const ports = { outputs: backend.listOutputs(), inputs: backend.listInputs() };
    out.result(ports, () => [
      'outputs (use with --output):',
      ...ports.outputs.map((p) => `  ${p}`),
      'inputs (use with --input):',
      ...ports.inputs.map((p) => `  ${p}`),
    ]);
    return;
  }
  await playLive(modelArg, flags, env, out, backend);
}

/** What the generation worker builds its model session from: the model, the seed and the sampling flags. */
export function modelSourceOptions(
  source: Pick<ModelSource, 'hparams' | 'weights' | 'vocab'>,
  flags: SamplingFlags & { maxSeconds?: number; maxTokens?: number },
  seed: number,
): ModelSourceOptions {
  return {
    hparams: source.hparams,
    weights: source.weights,
    vocabConfig: source.vocab.config,
    seed,
    sampling: { temperature: flags.temperature, topK: flags.topK, topP: flags.topP },
    // Each piece (the start, an answer, a fresh one after <end>) lasts at least this long.
    minSeconds: flags.minSeconds,
    // Per-piece limits: the piece is steered to end there, and a fresh one follows.
    ...(flags.maxSeconds !== undefined ? { maxSeconds: flags.maxSeconds } : {}),
    ...(flags.maxTokens !== undefined ? { maxTokens: flags.maxTokens } : {}),
    ...(flags.pitchRange !== undefined ? { pitchRange: flags.pitchRange } : {}),
  };
}

/** Flag combinations that cannot work, reported before any port or model is opened. */
function checkUsage(flags: LiveFlags): void {
  const wantsInput = flags.input !== undefined || flags.virtualInput !== undefined;
  const ccMap = flags.cc ?? {};
  if ((flags.mode !== 'generate' || flags.followClock || Object.keys(ccMap).length > 0) && !wantsInput) {
    throw new CliError(
      'USAGE',
      `--mode ${flags.mode}, --follow-clock and --cc need --input NAME or --virtual-input`,
    );
  }
  if (flags.primer !== undefined && flags.mode !== 'generate') {
    throw new CliError(
      'USAGE',
      '--primer is for --mode generate; in the other modes the player provides the primer',
    );
  }
}

/** Plays the model into the port until stopped; the take is written even when the session failed. */
async function playLive(
  modelArg: string | undefined,
  flags: LiveFlags,
  env: CliEnv,
  out: Output,
  backend: MidiBackend,
): Promise<void> {
  const { codecFromVocab, runLiveSession } = await import('@music-transformer/live-bridge');
  const recordPath =
    flags.record === undefined
      ? null
      : await prepareDestination(flags.record, { force: flags.force === true, what: 'recording' });
  // A bad --pitch-range is a usage error here, not a failure inside the generation worker.
  if (flags.pitchRange !== undefined) pitchRangeOf(flags, (await modelPackage()).parsePitchRange);
  const source = await loadModelSource(modelArg);
  const { vocab } = source;
  let primer: number[] | undefined;
  if (flags.primer !== undefined) {
    const bytes = await readMidi(flags.primer, 'primer file');
    primer = [vocab.start, ...midiToTokens(bytes, { fileName: basename(flags.primer), vocab }).tokens];
  }
  const seed = seedOf(flags);
  const port = dashboardPort(flags.dashboard);
  const stop = watchStop(env);
  let result: Awaited<ReturnType<typeof runLiveSession>>;
  try {
    result = await runLiveSession(
      {
        backend,
        output: flags.output === undefined ? { virtual: flags.portName } : { existing: flags.output },
        input: inputChoice(flags),
        codec: codecFromVocab(vocab),
        model: modelSourceOptions(source, flags, seed),
        rng: createRng(seed).fork('density'),
        mode: flags.mode,
        bpm: flags.bpm,
        lookaheadMs: flags.lookahead * 1000,
        channel: flags.channel - 1,
        offsetMs: flags.offset,
        followClock: flags.followClock === true,
        silenceBeats: flags.silence,
        ...(primer ? { primer } : {}),
        controls: {
          temperature: flags.temperature,
          topK: flags.topK,
          topP: flags.topP,
          density: flags.density,
        },
        ccMap: flags.cc ?? {},
        record: recordPath !== null,
        realtime: flags.realtime,
        ...(flags.duration === undefined ? {} : { durationMs: flags.duration * 1000 }),
        signal: stop.signal,
        status: flags.status === true,
      },
      {
        note: (line) => out.note(line),
        warn: (line) => out.warn(line),
        ...(port === null
          ? {}
          : {
              attach: async (bridge: LiveBridge) => {
                // Loaded only when asked for: the dashboard server pulls in the trainer package.
                const { startDashboardServer } = await import('../dashboard-server.js');
                const server = await startDashboardServer({ logdir: flags.logdir, port });
                server.attachLive(bridge);
                out.note(`dashboard: ${server.url}`);
                return () => server.close();
              },
            }),
      },
    );
  } finally {
    stop.dispose();
  }
  // The take is kept even when the run ends in an error (e.g. the port disappeared).
  if (result.recording && recordPath) await writeOutput(recordPath, result.recording, 'recording');
  if (result.failure) throw result.failure;
  const recording = result.recording ? recordPath : null;
  out.result({ notes: result.sentNotes, underruns: result.underruns, seed, recording }, () => [
    `live: sent ${result.sentNotes} notes, ${result.underruns} underruns${recording ? `, recorded to ${recording}` : ''}`,
  ]);
}

/** The input to listen on: an existing port, a virtual one, or none. */
function inputChoice(flags: LiveFlags): PortChoice | null {
  if (flags.input !== undefined) return { existing: flags.input };
  if (flags.virtualInput === undefined) return null;
  return { virtual: typeof flags.virtualInput === 'string' ? flags.virtualInput : 'Music Transformer In' };
}
