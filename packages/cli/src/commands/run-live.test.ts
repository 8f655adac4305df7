import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DumpedMessage, dumpedNotes, JackMidiDump, jackPorts } from '@music-transformer/test-midi/jack';
import { Midi } from '@tonejs/midi';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../test-utils/capture-io.js';
import { expectCliError } from '../test-utils/cli-errors.js';
import { jackMissing } from '../test-utils/jack.js';
import { testStops } from '../test-utils/stop-source.js';
import { tempDir } from '../test-utils/temp-dir.js';
import type { LiveFlags } from './live-options.js';
import { runLive } from './run-live.js';

const dir = tempDir('mt-cli-run-live-');

/** The flags commander gives `mt live` with no options (its declared defaults), plus `extra`. */
function liveFlags(extra: Partial<LiveFlags> = {}): LiveFlags {
  return {
    portName: 'Music Transformer',
    mode: 'generate',
    bpm: 120,
    channel: 1,
    offset: 0,
    lookahead: 2,
    silence: 4,
    density: 1,
    realtime: true,
    logdir: 'runs',
    temperature: 1,
    topK: 0,
    topP: 1,
    minSeconds: 10,
    ...extra,
  };
}

/** Until `check` holds, polling every 50 ms; fails naming `what` after `ms`. */
async function until(what: string, ms: number, check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + ms; !check(); await sleep(50)) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
  }
}

/** The full JACK name of the port called `name` (whatever client made it), or undefined. */
function jackPort(name: string): string | undefined {
  return jackPorts().find((p) => p.endsWith(`:${name}`));
}

/**
 * `jack_midi_dump` (jackd2's MIDI monitor, a separate JACK client) listening on the port called `port`
 * once it appears; `stillRunning` throws when what should make the port has ended.
 */
async function dumpPort(port: string, stillRunning: () => void): Promise<JackMidiDump> {
  const dump = await JackMidiDump.start(`mt-cli-dump-${process.pid}`);
  try {
    await until(`port '${port}' appearing`, 60_000, () => {
      stillRunning();
      return jackPort(port) !== undefined;
    });
    expect(spawnSync('jack_connect', [jackPort(port) as string, dump.port]).status).toBe(0);
  } catch (error) {
    await dump.finish();
    throw error;
  }
  return dump;
}

describe('runLive', () => {
  // A model argument that does not exist: a usage error must come first, before the model is read and
  // before any port opens (the ports open only after the model is loaded).
  const missingModel = join(dir, 'missing.safetensors');

  it.each([
    [{ mode: 'call-response' as const }, 'call-response'],
    [{ mode: 'continue' as const }, 'continue'],
    [{ followClock: true }, 'generate'],
    [{ cc: { temperature: 21 } }, 'generate'],
  ])('refuses %o without an input before anything opens', async (extra, mode) => {
    const record = join(dir, `never-${mode}.mid`);
    const { io, out } = captureIo();
    await expectCliError(
      runLive(missingModel, liveFlags({ ...extra, record }), { io }),
      'USAGE',
      `--mode ${mode}, --follow-clock and --cc need --input NAME or --virtual-input`,
    );
    expect(existsSync(record)).toBe(false);
    expect(out()).toBe('');
  });

  it('refuses --primer outside --mode generate', async () => {
    const flags = liveFlags({ mode: 'continue', virtualInput: true, primer: join(dir, 'primer.mid') });
    await expectCliError(
      runLive(missingModel, flags, captureIo()),
      'USAGE',
      '--primer is for --mode generate; in the other modes the player provides the primer',
    );
  });

  describe('over JACK', () => {
    let noJack: string | null = null;
    beforeAll(async () => {
      noJack = await jackMissing();
      if (noJack !== null) console.warn(`[run-live] JACK tests skipped: ${noJack}`);
    });

    it('plays the bundled model into a virtual port until env.stops aborts, records the take and prints the result', async (ctx) => {
      if (noJack !== null) ctx.skip(noJack);
      const portName = `MT run-live ${process.pid}`;
      const record = join(dir, 'take.mid');
      const { stops, stop, disposed } = testStops();
      const { io, out, err } = captureIo();
      const flags = liveFlags({ portName, record, channel: 3, seed: 5, json: true });
      const running = runLive(undefined, flags, { io, stops });
      // A runLive that ends before it is stopped fails the waits below with its own error.
      let ended: { error: unknown } | null = null;
      running.then(
        () => {
          ended = { error: new Error('runLive returned before it was stopped') };
        },
        (error: unknown) => {
          ended = { error };
        },
      );
      const stillRunning = () => {
        if (ended) throw ended.error;
      };
      const dump = await dumpPort(portName, stillRunning);
      let received: DumpedMessage[] = [];
      try {
        await until('a note arriving at the reader', 60_000, () => {
          stillRunning();
          return dumpedNotes(dump.received()).some((n) => n.on);
        });
        expect(disposed()).toBe(false);
        // --list-ports, meanwhile, sees the virtual port (to listen to) and the reader (to send to).
        const listing = captureIo();
        await runLive(undefined, liveFlags({ listPorts: true, json: true }), { io: listing.io });
        const ports = JSON.parse(listing.out()) as { outputs: string[]; inputs: string[] };
        expect(ports.inputs.filter((p) => p.endsWith(`:${portName}`))).toHaveLength(1);
        expect(ports.outputs).toContain(dump.port);
        stop();
        await running;
      } finally {
        received = await dump.finish();
      }
      expect(disposed()).toBe(true);
      expect(err()).not.toMatch(/error/i);

      const result = JSON.parse(out()) as {
        notes: number;
        underruns: number;
        seed: number;
        recording: string;
      };
      expect(result).toMatchObject({ seed: 5, recording: record });
      expect(result.notes).toBeGreaterThan(0);

      // What the external reader got: notes on channel 3 only, no more than were sent, none left sounding.
      const notes = dumpedNotes(received);
      const ons = notes.filter((n) => n.on);
      expect(ons.length).toBeGreaterThan(0);
      expect(ons.length).toBeLessThanOrEqual(result.notes);
      expect(new Set(notes.map((n) => n.channel))).toEqual(new Set([2]));
      const sounding = new Map<number, number>();
      for (const n of notes) sounding.set(n.pitch, (sounding.get(n.pitch) ?? 0) + (n.on ? 1 : -1));
      expect([...sounding.values()].filter((count) => count > 0)).toEqual([]);

      // The take is a MIDI file with every note that was sent.
      const take = new Midi(readFileSync(record));
      const taken = take.tracks.flatMap((t) => t.notes);
      expect(taken.length).toBe(result.notes);
      expect(taken.every((n) => n.duration > 0)).toBe(true);
    }, 120_000);
  });
});
