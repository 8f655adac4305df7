import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicClock, openMidiBackend } from '@music-transformer/live-bridge';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../cli/helpers.js';
import { gateOnJack, Receiver, sleep } from './jack.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-live-cli-'));
const model = join(dir, 'tiny.safetensors');

const requireJack = gateOnJack(async () => {
  const { hparamPresets, initBackend, MusicTransformer, saveModel } = await import(
    '@music-transformer/model'
  );
  await initBackend('cpu');
  const m = MusicTransformer.create(hparamPresets.tiny, 1);
  writeFileSync(model, saveModel(m));
  m.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mt live over JACK', () => {
  it('plays into a virtual port, records, and on SIGINT silences every note and exits 0', async (ctx) => {
    requireJack(ctx);
    const portName = `MT cli ${process.pid}`;
    const take = join(dir, 'take.mid');
    const child = spawn(
      process.execPath,
      [
        BIN,
        'live',
        model,
        '--port-name',
        portName,
        '--record',
        take,
        '--seed',
        '3',
        '--json',
        '--channel',
        '5',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for the virtual port to appear, then connect like a DAW would.
    const backend = await openMidiBackend(monotonicClock);
    const deadline = Date.now() + 30_000;
    while (!backend.listInputs().some((n) => n.includes(portName))) {
      if (Date.now() > deadline) throw new Error(`port '${portName}' never appeared; stderr: ${stderr}`);
      await sleep(100);
    }
    const receiver = await Receiver.start(portName);
    await sleep(6000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const received = await receiver.finish();

    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
      notes: number;
      recording: string;
    };
    const ons = received.filter((m) => m.type === 'noteon' && m.velocity > 0);
    expect(result.notes).toBeGreaterThan(0);
    // Notes sent before the receiver connected are not seen by it.
    expect(ons.length).toBeGreaterThan(0);
    expect(ons.length).toBeLessThanOrEqual(result.notes);
    const balance = new Map<number, number>();
    for (const m of received) {
      if (m.type !== 'noteon' && m.type !== 'noteoff') continue;
      expect(m.channel).toBe(4);
      const on = m.type === 'noteon' && m.velocity > 0;
      balance.set(m.note, (balance.get(m.note) ?? 0) + (on ? 1 : -1));
    }
    expect([...balance.values()].filter((n) => n > 0)).toEqual([]);
    expect(received.at(-1)).toMatchObject({ type: 'cc', controller: 123, channel: 4 });
    const bytes = readFileSync(take);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('MThd');
    expect(result.recording).toBe(take);
  });

  it('keeps every note inside --pitch-range and runs with a per-piece --max-seconds', async (ctx) => {
    requireJack(ctx);
    // An untrained model steered to play many notes, most of them outside 40-80.
    const { hparamPresets, MusicTransformer, saveModel } = await import('@music-transformer/model');
    const { createVocab } = await import('@music-transformer/vocab');
    const vocab = createVocab();
    const weights = MusicTransformer.create(hparamPresets.tiny, 2).weights();
    const bias = weights['final.bias'] as Float32Array;
    const boost = (id: number, by: number) => {
      bias[id] = (bias[id] ?? 0) + by;
    };
    for (let p = 0; p < 128; p++) {
      boost(vocab.noteOn(p), p < 40 || p > 80 ? 8 : 4);
      boost(vocab.noteOff(p), 4);
    }
    boost(vocab.timeShift(25), 6);
    const noisy = join(dir, 'noisy.safetensors');
    const m = MusicTransformer.fromWeights(hparamPresets.tiny, weights);
    writeFileSync(noisy, saveModel(m));
    m.dispose();
    const portName = `MT range ${process.pid}`;
    const args = ['live', noisy, '--port-name', portName, '--seed', '4', '--json'];
    const flags = ['--pitch-range', '40-80', '--max-seconds', '2', '--min-seconds', '0'];
    const child = spawn(process.execPath, [BIN, ...args, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const backend = await openMidiBackend(monotonicClock);
    const deadline = Date.now() + 30_000;
    while (!backend.listInputs().some((n) => n.includes(portName))) {
      if (Date.now() > deadline) throw new Error(`port '${portName}' never appeared; stderr: ${stderr}`);
      await sleep(100);
    }
    const receiver = await Receiver.start(portName);
    await sleep(6000);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    const received = await receiver.finish();
    const pitches = received.flatMap((m) => (m.type === 'noteon' && m.velocity > 0 ? [m.note] : []));
    // The model prefers notes outside 40-80: only the range mask keeps them inside.
    expect(pitches.length).toBeGreaterThan(20);
    expect(pitches.every((p) => p >= 40 && p <= 80)).toBe(true);
    expect(
      (JSON.parse(stdout.trim().split('\n').at(-1) as string) as { notes: number }).notes,
    ).toBeGreaterThan(0);
  });
});
