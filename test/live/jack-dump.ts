import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { quantile, sleep } from './jack.js';

/** The dummy driver's rate (scripts/start-jack.sh). */
const FRAME_RATE = 48_000;

export interface Dumped {
  on: boolean;
  pitch: number;
  /** JACK frame time of arrival, in ms. */
  ms: number;
}

/**
 * `jack_midi_dump -a` as the external receiver: a separate JACK client (from the jackd2 package) that
 * prints each message with its frame time. Its port is `${client}:input`.
 */
export class JackMidiDump {
  private text = '';
  /** Events the receiver itself skipped ("ringbuffer was full": its printing thread fell behind). */
  skipped = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.text += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.skipped += chunk.toString().split('ringbuffer was full').length - 1;
    });
  }

  static async start(client: string): Promise<JackMidiDump> {
    const child = spawn('jack_midi_dump', ['-a', client], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = `${client}:input`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const lsp = spawnSync('jack_lsp', [], { encoding: 'utf8' });
      if (lsp.stdout?.split('\n').includes(port)) break;
      if (Date.now() > deadline) throw new Error(`jack_midi_dump never registered ${port}`);
      await sleep(100);
    }
    return new JackMidiDump(child, port);
  }

  /** Stops the client and returns the note messages it received, in order. */
  async finish(): Promise<Dumped[]> {
    const exited = new Promise<void>((resolve) => this.child.on('exit', () => resolve()));
    this.child.kill('SIGINT');
    await exited;
    const out: Dumped[] = [];
    for (const line of this.text.split('\n')) {
      const m = /^\s*(\d+): ([89][0-9a-f]) ([0-9a-f]{2}) ([0-9a-f]{2})/.exec(line);
      if (!m) continue;
      const on = (m[2] as string)[0] === '9' && Number.parseInt(m[4] as string, 16) > 0;
      out.push({ on, pitch: Number.parseInt(m[3] as string, 16), ms: (Number(m[1]) / FRAME_RATE) * 1000 });
    }
    return out;
  }
}

/**
 * Onset deviation of each received note-on from its due time, after removing the latency of the JACK
 * graph. jack_midi_dump -a counts the frames of its own process cycles, so a cycle it misses (a busy
 * machine) is lost from its clock for good: a step in every later offset, not a late note. Each note
 * is therefore measured against the median offset of the notes within 1 s of it (`local`); `global`
 * uses one median for the whole take.
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
