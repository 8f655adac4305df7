import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, collect, FIXTURES, readNotes, runMt, SATIE, startMt, tempDir, waitFor } from './helpers.js';

/**
 * The whole user journey on real MIDI files, through the built binary: preprocess -> train a tiny
 * model -> Ctrl-C mid-epoch -> resume with -l -> generate (with and without a primer) -> evaluate ->
 * info on every kind of file. Steps run in order and share one temporary folder.
 */
const work = tempDir('workflow');
const at = (name: string): string => join(work.dir, name);
const DATA = at('piano.safetensors');
const CKPT = at('piano.ckpt.safetensors');
const MODEL = at('piano.model.safetensors');
const RUN = join(work.dir, 'runs', 'piano');
const TRAIN_ARGS = [
  DATA,
  CKPT,
  MODEL,
  '1',
  '--preset',
  'tiny',
  '-bs',
  '2',
  '--logdir',
  at('runs'),
  '--name',
  'piano',
];

function json<T = Record<string, unknown>>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

/** Records of the run's metrics.jsonl; a torn last line (the trainer is writing it) is skipped. */
function metrics(): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of readFileSync(join(RUN, 'metrics.jsonl'), 'utf8').split('\n')) {
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // empty or partial line
    }
  }
  return records;
}

beforeAll(() => {
  expect(existsSync(SATIE)).toBe(true);
});
afterAll(() => work.cleanup());

describe('mt end to end', () => {
  it('preprocess: writes a dataset and prints a summary', async () => {
    const r = await runMt(['preprocess', FIXTURES, at('piano'), '256', '--workers', '1', '--seed', '3']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('read 3 MIDI files: 3 used, 0 skipped');
    expect(r.stdout).toMatch(/rows: \d+ train \+ \d+ validation, 256 tokens each/);
    expect(r.stdout).toContain(`dataset written to ${DATA}`);
    expect(existsSync(DATA)).toBe(true);
  });

  it('train: Ctrl-C mid-epoch saves a checkpoint and exits 0', async () => {
    const child = startMt(['train', ...TRAIN_ARGS]);
    const done = collect(child, 90_000);
    // Interrupt once a few optimizer steps are logged, well before the epoch ends.
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`mt train exited early with ${child.exitCode}`);
        return existsSync(join(RUN, 'metrics.jsonl'))
          ? metrics().filter((m) => m.type === 'train').length
          : 0;
      },
      (steps) => steps >= 3,
      60_000,
    );
    child.kill('SIGINT');
    const r = await done;
    expect(r.stderr).toContain('interrupt: finishing the current step and saving a checkpoint');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /interrupted at step \d+: checkpoint saved to .*piano\.ckpt\.safetensors; resume with the same command and -l/,
    );
    // No terminal: progress is plain log lines with rate and ETA, not a bar.
    expect(r.stderr).toMatch(
      /train: \d+\/\d+ steps \(\d+%\) \| [\d.]+ steps\/s \| ETA \S+ \| epoch 0 loss \d+\.\d{3}/,
    );
    expect(r.stderr).not.toContain('\u001b[');
    expect(existsSync(CKPT)).toBe(true);
    expect(existsSync(MODEL)).toBe(true);
    const status = metrics()
      .filter((m) => m.type === 'status')
      .at(-1);
    expect(status?.status).toBe('stopped');
    const info = json<{ step: number; batch_in_epoch: number; epoch: number }>(
      (await runMt(['info', CKPT, '--json'])).stdout,
    );
    expect(info.step).toBeGreaterThanOrEqual(3);
    expect(info.epoch).toBe(0); // stopped mid-epoch
    expect(info.batch_in_epoch).toBe(info.step);
  });

  it('train -l: resumes from the checkpoint step', async () => {
    const before = json<{ step: number }>((await runMt(['info', CKPT, '--json'])).stdout).step;
    const r = await runMt(['train', ...TRAIN_ARGS, '-l', '--max-steps', '2', '--json']);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    const out = json<{ status: string; step: number; steps_this_session: number }>(r.stdout);
    expect(out).toMatchObject({ status: 'finished', steps_this_session: 2, step: before + 2 });
    expect(json<{ step: number }>((await runMt(['info', CKPT, '--json'])).stdout).step).toBe(before + 2);
    const resumed = metrics().find((m) => m.type === 'status' && String(m.message).startsWith('resumed'));
    expect(resumed?.message).toContain(`at step ${before}`);
  });

  it('train -l: without the run directory, resumes from the checkpoint file itself', async () => {
    const step = json<{ step: number }>((await runMt(['info', CKPT, '--json'])).stdout).step;
    const args = [
      DATA,
      CKPT,
      at('copy.model.safetensors'),
      '1',
      '-bs',
      '2',
      '--logdir',
      at('runs'),
      '--name',
      'copy',
    ];
    const r = await runMt(['train', ...args, '-l', '--max-steps', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ step: number }>(r.stdout).step).toBe(step + 1);
    expect(existsSync(join(work.dir, 'runs', 'copy', 'checkpoints', `step-${step + 1}.safetensors`))).toBe(
      true,
    );
  });

  it('generate without a primer: a parseable MIDI file with notes, within --max-seconds', async () => {
    const out = at('free.mid');
    const r = await runMt([
      'generate',
      MODEL,
      out,
      '--max-seconds',
      '4',
      '--max-tokens',
      '400',
      '--seed',
      '11',
      '-tm',
      '90',
    ]);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}`);
    const midi = readNotes(out);
    expect(midi.notes.length).toBeGreaterThan(0);
    expect(midi.duration).toBeLessThanOrEqual(4 + 1e-6);
    expect(midi.bpm).toBeCloseTo(90, 0);
  });

  it('generate --max-seconds alone: that many seconds of music (±1 s), notes inside --pitch-range', async () => {
    const out = at('long.mid');
    const r = await runMt([
      'generate',
      MODEL,
      out,
      '--max-seconds',
      '12',
      '--pitch-range',
      '48-72',
      '--seed',
      '4',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const f = json<{ files: Array<{ music_seconds: number; stop_reason: string; generated: number }> }>(
      r.stdout,
    ).files[0]!;
    expect(Math.abs(f.music_seconds - 12), JSON.stringify(f)).toBeLessThanOrEqual(1);
    const midi = readNotes(out);
    expect(midi.notes.length).toBeGreaterThan(0);
    expect(midi.notes.every((n) => n.midi >= 48 && n.midi <= 72)).toBe(true);
    expect(midi.duration).toBeLessThanOrEqual(12 + 1e-6);
  });

  it('generate with a primer, and --continuation-only leaves the primer out', async () => {
    // Cut the primer right after a time shift, so no primer note ends exactly at the boundary.
    const events = json<{ names: string[] }>((await runMt(['tokenize', SATIE, '--json'])).stdout).names;
    const cut = events.findIndex((n, i) => i >= 30 && n.startsWith('time_shift')) + 1;
    const primerNotes = events.slice(0, cut).filter((n) => n.startsWith('note_on')).length;
    expect(primerNotes).toBeGreaterThan(0);
    const common = ['-i', SATIE, '-it', String(cut), '--max-tokens', '150', '--seed', '5', '--json'];
    const full = await runMt(['generate', MODEL, at('full.mid'), ...common]);
    const cont = await runMt(['generate', MODEL, at('cont.mid'), ...common, '--continuation-only']);
    expect(full.code).toBe(0);
    expect(cont.code).toBe(0);
    const { primer_tokens, primer_seconds } = json<{ primer_tokens: number; primer_seconds: number }>(
      full.stdout,
    );
    expect(primer_tokens).toBe(cut);
    const fullNotes = readNotes(at('full.mid')).notes;
    const contNotes = readNotes(at('cont.mid')).notes;
    expect(contNotes.length).toBeGreaterThan(0);
    // Same seed: the continuation is the same music, shifted by the primer's length in the full file...
    for (const n of contNotes) {
      expect(
        fullNotes.some((f) => f.midi === n.midi && Math.abs(f.time - (n.time + primer_seconds)) < 0.002),
      ).toBe(true);
    }
    // ...and the full file has exactly the primer's notes on top of it.
    expect(fullNotes.length - contNotes.length).toBe(primerNotes);
    expect(fullNotes.filter((n) => n.time < primer_seconds - 0.002).length).toBeGreaterThan(0);
  });

  // `script` (util-linux, Essential on Debian) runs the command on a pseudo-terminal: the bar mode.
  it.skipIf(!existsSync('/usr/bin/script'))(
    'on a terminal, progress is a bar with rate and ETA',
    async () => {
      const out = at('tty.mid');
      const command = [process.execPath, BIN, 'generate', MODEL, out, '--max-tokens', '200', '--seed', '2']
        .map((a) => `'${a}'`)
        .join(' ');
      const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const r = await collect(child);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/generate \[[░█]+\] \d+% \| \d+\/200 tokens \| \d+ tokens\/s \| ETA/);
      expect(existsSync(out)).toBe(true);
    },
  );

  it('generate --count writes numbered files', async () => {
    const r = await runMt([
      'generate',
      CKPT,
      at('batch.mid'),
      '--count',
      '2',
      '--max-tokens',
      '60',
      '--seed',
      '1',
      '-q',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(
      readNotes(at('batch-1.mid')).notes.length + readNotes(at('batch-2.mid')).notes.length,
    ).toBeGreaterThan(0);
  });

  it('evaluate: finite NLL on the dataset and on a MIDI folder', async () => {
    const onData = await runMt(['evaluate', MODEL, DATA, '--json']);
    expect(onData.code).toBe(0);
    const d = json<{ nll: number; perplexity: number; accuracy: number; tokens: number }>(onData.stdout);
    expect(Number.isFinite(d.nll)).toBe(true);
    expect(d.nll).toBeGreaterThan(0);
    expect(d.perplexity).toBeCloseTo(Math.exp(d.nll), 6);
    expect(d.tokens).toBeGreaterThan(0);
    const onFolder = await runMt(['evaluate', MODEL, FIXTURES, '--length', '128']);
    expect(onFolder.code).toBe(0);
    expect(onFolder.stdout).toMatch(
      /NLL \d+\.\d{4} nats\/token, perplexity \d+\.\d{2}, accuracy \d+\.\d{2}%/,
    );
  });

  it('info: describes every kind of file', async () => {
    const kinds: [string, string][] = [
      [SATIE, 'midi'],
      [DATA, 'dataset'],
      [CKPT, 'checkpoint'],
      [MODEL, 'model'],
      [RUN, 'run'],
    ];
    for (const [path, kind] of kinds) {
      const r = await runMt(['info', path, '--json']);
      expect(r.code, `${path}: ${r.stderr}`).toBe(0);
      expect(json<{ kind: string }>(r.stdout).kind).toBe(kind);
    }
    const midi = await runMt(['info', SATIE]);
    expect(midi.stdout).toMatch(/notes: 282 in the file/);
    const model = json<{ parameters: number; vocab: { name: string } }>(
      (await runMt(['info', MODEL, '--json'])).stdout,
    );
    expect(model.vocab.name).toBe('seed');
    expect(model.parameters).toBeGreaterThan(1000);
  });
});
