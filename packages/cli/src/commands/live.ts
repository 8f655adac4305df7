import { basename } from 'node:path';
import type {
  BridgeMode,
  CcMap,
  LiveBridge,
  MidiBackend,
  ModelSourceOptions,
  PortChoice,
} from '@music-transformer/live-bridge';
import { createRng, midiToTokens } from '@music-transformer/vocab';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { type DashboardFlag, dashboardOption, dashboardPort } from '../dashboard-option.js';
import { CliError } from '../errors.js';
import { prepareDestination, readMidi, writeOutput } from '../files.js';
import { stopOnSignals } from '../interrupt.js';
import { modelPackage } from '../lazy-packages.js';
import { loadModelSource, type ModelSource } from '../model-source.js';
import type { Output } from '../output.js';
import { addSamplingOptions, pitchRangeOf, type SamplingFlags, seedOf } from '../sampling-options.js';
import { parseFloatArg, parseIntArg } from '../values.js';

interface LiveFlags extends CommonFlags, SamplingFlags {
  listPorts?: boolean;
  output?: string;
  portName: string;
  input?: string;
  virtualInput?: string | boolean;
  mode: BridgeMode;
  bpm: number;
  followClock?: boolean;
  channel: number;
  offset: number;
  lookahead: number;
  silence: number;
  density: number;
  cc?: CcMap;
  record?: string;
  force?: boolean;
  primer?: string;
  duration?: number;
  maxSeconds?: number;
  maxTokens?: number;
  realtime: boolean;
  status?: boolean;
  dashboard?: DashboardFlag;
  logdir: string;
}

const CC_TARGETS = ['temperature', 'topK', 'topP', 'density', 'pause'] as const;

/** `--cc temperature=21`: collects NAME=CC pairs into a map. */
function parseCc(raw: string, previous: CcMap = {}): CcMap {
  const match = /^([A-Za-z]+)=(\d{1,3})$/.exec(raw.trim());
  const name = match?.[1] as (typeof CC_TARGETS)[number] | undefined;
  if (!match || !name || !CC_TARGETS.includes(name)) {
    throw new InvalidArgumentError(
      `Expected NAME=CC with NAME one of ${CC_TARGETS.join(', ')}, e.g. temperature=21.`,
    );
  }
  const cc = Number(match[2]);
  if (cc > 127) throw new InvalidArgumentError('CC numbers are 0..127.');
  return { ...previous, [name]: cc };
}

/** `mt live [model]`: plays the model in real time into a DAW over a (virtual) MIDI port. */
export function registerLive(program: Command, env: CliEnv): void {
  const command = program
    .command('live')
    .description('play a model live into a DAW or synth over a (virtual) MIDI port, in real time')
    .usage('[options] [model]')
    .argument('[model]', "model or checkpoint file ('default' or omitted: the bundled model)")
    .option('--list-ports', 'list the MIDI input and output ports and exit')
    .option(
      '--output <name>',
      'send to this existing MIDI output (name or unique part of it) instead of a virtual port',
    )
    .option('--port-name <name>', 'name of the virtual output port to create', 'Music Transformer')
    .option('--input <name>', "listen on this existing MIDI input (player's notes, clock, CCs)")
    .option(
      '--virtual-input [name]',
      'create a virtual input port to listen on (default name "Music Transformer In")',
    )
    .addOption(
      new Option('--mode <mode>', 'generate continuously, answer the player, or keep continuing the player')
        .choices(['generate', 'call-response', 'continue'])
        .default('generate'),
    )
    .option(
      '--bpm <n>',
      "tempo of the grid; the model's timing plays unchanged at this tempo",
      parseFloatArg({ min: 20, max: 400 }),
      120,
    )
    .option('--follow-clock', 'follow MIDI clock and Start/Stop/Continue from the input (the DAW transport)')
    .option('--channel <n>', 'MIDI channel 1-16', parseIntArg({ min: 1, max: 16 }), 1)
    .option(
      '--offset <ms>',
      'latency compensation: shift every send by this many ms (may be negative)',
      parseFloatArg({ min: -1000, max: 1000 }),
      0,
    )
    .option(
      '--lookahead <s>',
      'seconds of music kept generated ahead of playback',
      parseFloatArg({ min: 0.1, max: 60 }),
      2,
    )
    .option(
      '--silence <beats>',
      'call and response: silence after the phrase before answering, in beats',
      parseFloatArg({ min: 0.25, max: 64 }),
      4,
    );
  // The bridge's controls refuse temperatures above 10 (validateControls in the live-bridge package).
  addSamplingOptions(command, { maxTemperature: 10 });
  command
    .option(
      '--density <float>',
      'fraction of generated notes that are played, 0..1',
      parseFloatArg({ min: 0, max: 1 }),
      1,
    )
    .option(
      '--cc <name=number>',
      'map a MIDI CC to temperature, topK, topP, density or pause (repeatable)',
      parseCc,
    )
    .option('--record <file.mid>', 'also record what is sent to a MIDI file (written on stop)')
    .option('-f, --force', 'overwrite the --record file if it exists')
    .option('-i, --primer <file.mid>', 'generate mode: continue this MIDI file')
    .option(
      '--duration <s>',
      'stop after this many seconds (default: until Ctrl-C)',
      parseFloatArg({ above: 0 }),
    )
    .option(
      '--max-seconds <s>',
      'each piece (or answer) ends by this much music: steered to an ending, then a fresh piece starts',
      parseFloatArg({ above: 0, max: 36_000 }),
    )
    .option(
      '--max-tokens <n>',
      'each piece (or answer) ends by this many tokens (default: no limit per piece)',
      parseIntArg({ min: 1, max: 1_000_000 }),
    )
    .option('--no-realtime', 'do not ask Linux for real-time scheduling of the sending thread')
    .option('--status', 'print buffer level, generation rate and note count every second (stderr)')
    .addOption(dashboardOption('with the live view'))
    .option('--logdir <dir>', 'runs the --dashboard lists beside the live view', 'runs');
  addCommonOptions(command);
  addExamples(command, [
    'mt live --list-ports',
    'mt live                                   # virtual port "Music Transformer", default model',
    'mt live models/piano.safetensors -t 0.9 --record take1.mid',
    'mt live --output "loopMIDI Port" --channel 2        # Windows: an existing loopback port',
    'mt live --mode call-response --virtual-input --bpm 96',
    'mt live --input "IAC" --follow-clock --cc temperature=21 --cc density=22',
    'mt live -t 0.9 --min-seconds 30 --dashboard   # pieces of 30 s or more; live view on port 6006',
  ]);
  command.action(async (modelArg: string | undefined, flags: LiveFlags) => {
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
    await runLive(modelArg, flags, out, backend);
  });
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

async function runLive(modelArg: string | undefined, flags: LiveFlags, out: Output, backend: MidiBackend) {
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
  const stop = stopOnSignals();
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
