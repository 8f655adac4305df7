import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { findJackFrameAddon } from '../jack-frame-output.js';

/**
 * Why the JACK tests of this package cannot run here (no JACK, no server, the frame-exact output not
 * built), or null when they can. With MT_REQUIRE_JACK=1 (CI) a reason is an error instead, so a suite
 * cannot pass by skipping.
 */
export function jackFramesUnavailable(): string | null {
  const reason = (() => {
    const lsp = spawnSync('jack_lsp', [], { env: { ...process.env, JACK_NO_START_SERVER: '1' } });
    if (lsp.error) return 'JACK is not installed (run scripts/setup-jack-midi.sh)';
    if (lsp.status !== 0) return 'no JACK server is running (start one with scripts/start-jack.sh)';
    if (findJackFrameAddon() === null) {
      return 'the frame-exact JACK output is not built (run scripts/setup-jack-midi.sh)';
    }
    return null;
  })();
  if (reason && process.env.MT_REQUIRE_JACK === '1') throw new Error(`MT_REQUIRE_JACK=1 but ${reason}`);
  return reason;
}

export interface DumpedMessage {
  /** Absolute JACK frame the message arrived at. */
  frame: number;
  bytes: number[];
}

/** JACK port names right now. */
export function jackPorts(): string[] {
  return spawnSync('jack_lsp', [], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}

/**
 * `jack_midi_dump -a`: a separate JACK client (from the jackd2 package) that prints each message with
 * its absolute frame time; its port is `${client}:input`.
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
