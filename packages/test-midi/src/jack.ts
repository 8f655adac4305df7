import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { quantile } from './stats.js';

/**
 * Test helpers over a real JACK server (scripts/setup-jack-midi.sh, scripts/start-jack.sh), shared by
 * the live bridge's, the CLI's and the end-to-end suites. Node only, hence a subpath of its own.
 */

/** Why no JACK server can be used here, or null when one is running. Never starts a server. */
export function jackServerMissing(): string | null {
  // JACK_NO_START_SERVER: asking must not start a server as a side effect.
  const lsp = spawnSync('jack_lsp', [], { env: { ...process.env, JACK_NO_START_SERVER: '1' } });
  if (lsp.error) return 'JACK is not installed (run scripts/setup-jack-midi.sh)';
  if (lsp.status !== 0) return 'no JACK server is running (start one with scripts/start-jack.sh)';
  return null;
}

/**
 * A suite's skip reason: null, or why JACK cannot be used. With MT_REQUIRE_JACK=1 (CI) a reason is an
 * error instead, so a suite over real ports cannot pass by skipping.
 */
export function requireJackOr(reason: string | null): string | null {
  if (reason !== null && process.env.MT_REQUIRE_JACK === '1')
    throw new Error(`MT_REQUIRE_JACK=1 but ${reason}`);
  return reason;
}

/** JACK port names right now. */
export function jackPorts(): string[] {
  return spawnSync('jack_lsp', [], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}

/** The running JACK server's cycle: frames per period and frames per second (jack_bufsize, jack_samplerate). */
export function jackCycle(): { frames: number; rate: number; ms: number } {
  const read = (tool: string) => {
    const value = Number.parseInt(spawnSync(tool, [], { encoding: 'utf8' }).stdout ?? '', 10);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${tool} did not report a positive number`);
    return value;
  };
  const frames = read('jack_bufsize');
  const rate = read('jack_samplerate');
  return { frames, rate, ms: (frames / rate) * 1000 };
}

/** What a JACK server's log says went wrong with its cycles so far. */
export interface JackServerTrouble {
  /**
   * Cycles the dummy driver started late ("JackTimedDriver::Process XRun = N usec"). After each it
   * restarts its cycle schedule from that moment, so JACK's frame count falls behind real time by what
   * it lost: frame stamps step back.
   */
  restarts: number;
  /**
   * Per client, the cycles it had not finished when the server checked ("client = NAME was not
   * finished"). `jack_midi_dump -a` stamps messages with its own running count of the frames of the
   * cycles it processed, so each cycle it misses this way is lost from its clock for good.
   */
  lateCycles: Record<string, number>;
}

/**
 * The trouble logged so far by the JACK server that scripts/start-jack.sh started (its log: JACK_LOG,
 * default /tmp/jackd.log), or null when that log cannot be read (a server started some other way).
 * Compare two readings to learn what happened in between.
 */
export function jackServerTrouble(log = process.env.JACK_LOG ?? '/tmp/jackd.log'): JackServerTrouble | null {
  let text: string;
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return null;
  }
  const lateCycles: Record<string, number> = {};
  for (const m of text.matchAll(/client = (.+?) was not finished/g)) {
    const name = m[1] as string;
    lateCycles[name] = (lateCycles[name] ?? 0) + 1;
  }
  return { restarts: text.split('XRun =').length - 1, lateCycles };
}

/** What went wrong between two readings of `jackServerTrouble` (null when either is). */
export function jackTroubleBetween(
  before: JackServerTrouble | null,
  after: JackServerTrouble | null,
): JackServerTrouble | null {
  if (before === null || after === null) return null;
  const lateCycles: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.lateCycles)) {
    const more = n - (before.lateCycles[name] ?? 0);
    if (more > 0) lateCycles[name] = more;
  }
  return { restarts: after.restarts - before.restarts, lateCycles };
}

export interface DumpedMessage {
  /** The frame the message arrived at, as jack_midi_dump -a counts them. */
  frame: number;
  bytes: number[];
}

/**
 * `jack_midi_dump -a`: a separate JACK client (from the jackd2 package) that prints each message with
 * its frame time; its port is `${client}:input`.
 */
export class JackMidiDump {
  private text = '';
  private errors = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.text += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.errors += chunk.toString();
    });
  }

  /** The receiver's JACK client name (as the server's log names it). */
  get client(): string {
    return this.port.slice(0, this.port.lastIndexOf(':'));
  }

  static async start(client: string): Promise<JackMidiDump> {
    const child = spawn('jack_midi_dump', ['-a', client], { stdio: ['ignore', 'pipe', 'pipe'] });
    const dump = new JackMidiDump(child, `${client}:input`);
    const deadline = Date.now() + 10_000;
    while (!jackPorts().includes(dump.port)) {
      if (Date.now() > deadline) {
        child.kill('SIGINT');
        throw new Error(`jack_midi_dump never registered ${dump.port}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return dump;
  }

  /** Events the dump itself dropped ("ringbuffer was full": its printing thread fell behind). */
  get skipped(): number {
    return this.errors.split('ringbuffer was full').length - 1;
  }

  /** Stops the client and returns every message it received, in order. */
  async finish(): Promise<DumpedMessage[]> {
    const exited = new Promise<void>((resolve) => this.child.on('exit', () => resolve()));
    this.child.kill('SIGINT');
    await exited;
    return this.received();
  }

  /** The messages received so far, in order (the client keeps running). */
  received(): DumpedMessage[] {
    const out: DumpedMessage[] = [];
    for (const line of this.text.split('\n')) {
      const m = /^\s*(\d+):((?: [0-9a-f]{2})+)/.exec(line);
      if (!m) continue;
      const bytes = (m[2] as string)
        .trim()
        .split(' ')
        .map((b) => Number.parseInt(b, 16));
      out.push({ frame: Number(m[1]), bytes });
    }
    return out;
  }
}

export interface DumpedNote {
  frame: number;
  /** A note-on with velocity > 0 (a note-on with velocity 0 is a note-off). */
  on: boolean;
  pitch: number;
  velocity: number;
  /** 0-15. */
  channel: number;
}

/** The note-on and note-off messages among `messages`, in order. */
export function dumpedNotes(messages: readonly DumpedMessage[]): DumpedNote[] {
  const out: DumpedNote[] = [];
  for (const { frame, bytes } of messages) {
    const [status = 0, pitch = 0, velocity = 0] = bytes;
    const kind = status >> 4;
    if (bytes.length !== 3 || (kind !== 0x8 && kind !== 0x9)) continue;
    out.push({ frame, on: kind === 0x9 && velocity > 0, pitch, velocity, channel: status & 0x0f });
  }
  return out;
}

/**
 * Onset deviation of each received note-on from its due time (both in ms, pairwise), after removing the
 * latency of the JACK graph. jack_midi_dump -a counts the frames of its own process cycles, so a cycle
 * it misses (a busy machine) is lost from its clock for good: a step in every later offset, not a late
 * note. Each note is therefore also measured against the median offset of the notes within 1 s of it
 * (`local`); `global` uses one median for the whole take.
 */
export function onsetDeviation(dueOns: readonly number[], receivedOns: readonly number[]) {
  const offsets = receivedOns.map((ms, i) => ms - (dueOns[i] as number));
  const median = quantile(offsets, 0.5);
  const global = offsets.map((o) => Math.abs(o - median));
  const local = offsets.map((o, i) => {
    const near = offsets.filter((_, j) => Math.abs((dueOns[j] as number) - (dueOns[i] as number)) <= 1000);
    return Math.abs(o - quantile(near, 0.5));
  });
  const figures = (d: number[]) => ({ p50: quantile(d, 0.5), p99: quantile(d, 0.99), max: Math.max(...d) });
  return { global: figures(global), local: figures(local) };
}
