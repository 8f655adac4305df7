import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createWorkerGenerator,
  type MidiInputPort,
  type MidiMessage,
  type MidiOutputPort,
  MODEL_SOURCE_URL,
  monotonicClock,
  openMidiBackend,
  resolvePortName,
} from '@music-transformer/live-bridge';
import { hparamPresets } from '@music-transformer/model';
import { jackServerMissing, requireJackOr } from '@music-transformer/test-midi/jack';
import { beforeAll, type TestContext } from 'vitest';

/**
 * Helpers of the live-bridge suites, which run over real MIDI ports (JACK's dummy driver on Linux,
 * see scripts/setup-jack-midi.sh and scripts/start-jack.sh).
 */
const HERE = dirname(fileURLToPath(import.meta.url));

/** Why the JACK suites cannot run here, or null when they can. */
export async function jackUnavailableReason(): Promise<string | null> {
  const missing = jackServerMissing();
  if (missing !== null) return missing;
  try {
    const backend = await openMidiBackend(monotonicClock);
    const probe = backend.openOutput(`mt-probe-${process.pid}`, true);
    probe.close();
    return null;
  } catch (error) {
    return `the MIDI addon cannot open JACK ports (run scripts/setup-jack-midi.sh): ${(error as Error).message}`;
  }
}

/**
 * Skip with the reason for developers without JACK; with MT_REQUIRE_JACK=1 (CI) a missing JACK is a
 * failure instead, so the suite cannot pass by skipping.
 */
export async function jackGate(): Promise<string | null> {
  const reason = requireJackOr(await jackUnavailableReason());
  if (reason) console.warn(`[live e2e] skipped: ${reason}`);
  return reason;
}

/**
 * Runs `jackGate` in a `beforeAll` of the calling file, then `setUp` only where JACK is available; each
 * test calls the returned function with its context first, which skips it with the reason otherwise.
 */
export function gateOnJack(setUp?: () => Promise<void>): (ctx: TestContext) => void {
  let reason: string | null = null;
  beforeAll(async () => {
    reason = await jackGate();
    if (reason === null) await setUp?.();
  });
  return (ctx) => {
    if (reason !== null) ctx.skip(reason);
  };
}

export type Received = MidiMessage & { ms: number };

/** A receiver process listening on the port whose name contains `portSubstring`. */
export class Receiver {
  private constructor(
    private readonly child: ChildProcess,
    private readonly out: { text: string },
  ) {}

  static async start(portSubstring: string): Promise<Receiver> {
    const child = spawn(process.execPath, [join(HERE, 'receiver.mjs'), portSubstring], {
      stdio: ['pipe', 'pipe', 'inherit'],
      cwd: HERE,
    });
    const out = { text: '' };
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        out.text += chunk.toString();
        if (out.text.startsWith('ready\n')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`receiver exited early with code ${code}`)));
    });
    return new Receiver(child, out);
  }

  /** Closes the receiver and returns everything it received. */
  async finish(): Promise<Received[]> {
    const exited = new Promise<void>((resolve) => this.child.on('exit', () => resolve()));
    this.child.stdin?.end();
    await exited;
    const line = this.out.text.split('\n')[1] ?? '[]';
    return JSON.parse(line) as Received[];
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends MIDI clock like a DAW: `count` pulses at `bpm` from clock time `fromMs`, each at its absolute
 * time (precise waker); resolves with the time the next pulse would be due.
 */
export function sendClock(
  out: { send(m: MidiMessage): void },
  waker: { wakeAt(at: number, cb: () => void): () => void },
  fromMs: number,
  bpm: number,
  count: number,
): Promise<number> {
  const interval = 60_000 / bpm / 24;
  return new Promise((resolve) => {
    const pulse = (i: number) => {
      if (i === count) {
        resolve(fromMs + count * interval);
        return;
      }
      waker.wakeAt(fromMs + i * interval, () => {
        out.send({ type: 'clock' });
        pulse(i + 1);
      });
    };
    pulse(0);
  });
}

/**
 * A bridge's ports on JACK, with a second client on each side: what `source` sends (a player's keys, a
 * DAW's clock) arrives at the bridge's `input`, and what the bridge plays on `output` the receiver records.
 */
export interface BridgePorts {
  source: MidiOutputPort;
  input: MidiInputPort;
  output: MidiOutputPort;
  /** Stops the receiver, closes the three ports, and returns everything that arrived at `output`. */
  finish(): Promise<Received[]>;
}

export async function openBridgePorts(sourceName: string, outputName: string): Promise<BridgePorts> {
  const backend = await openMidiBackend(monotonicClock);
  const source = backend.openOutput(sourceName, true);
  const input = backend.openInput(resolvePortName(sourceName, backend.listInputs(), 'input'), false);
  const output = backend.openOutput(outputName, true);
  const receiver = await Receiver.start(outputName);
  const finish = async () => {
    const received = await receiver.finish();
    input.close();
    source.close();
    output.close();
    return received;
  };
  return { source, input, output, finish };
}

/**
 * The generator `mt live` runs, in its worker: a default-size model with random weights (`randomSeed`),
 * sampling with `seed`, so a suite exercises the real model path without a trained file.
 */
export function randomModelGenerator(randomSeed: number, seed: number) {
  return createWorkerGenerator({
    sourceModule: MODEL_SOURCE_URL,
    sourceOptions: { hparams: hparamPresets.default, randomSeed, seed },
  });
}
