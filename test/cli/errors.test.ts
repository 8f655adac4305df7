import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, FIXTURES, type RunResult, readNotes, runMt, SATIE, startMt, tempDir } from './helpers.js';

/**
 * Every error a user can run into: one line on stderr naming the file or value, no stack trace unless
 * --verbose, and the documented exit status (2 usage, 1 failure).
 */
const work = tempDir('errors');
const at = (name: string): string => join(work.dir, name);
const SEED_DATA = at('seed.safetensors');
const PRNN_DATA = at('prnn.safetensors');
const MODEL = at('model.safetensors');
const NOT_MIDI = at('notes.mid');

function expectOneLineError(r: RunResult, code: number, message: string | RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  if (typeof message === 'string') expect(lines[0]).toContain(message);
  else expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

beforeAll(async () => {
  writeFileSync(NOT_MIDI, 'this is a text file with a .mid name\n');
  const fast = ['-t', '0', '-s', '1', '--workers', '1'];
  for (const [dest, preset] of [
    [SEED_DATA, 'seed'],
    [PRNN_DATA, 'performance-rnn'],
  ] as const) {
    const r = await runMt(['preprocess', FIXTURES, dest, '128', '--preset', preset, ...fast]);
    expect(r.code, r.stderr).toBe(0);
  }
  const t = await runMt([
    'train',
    SEED_DATA,
    at('ckpt.safetensors'),
    MODEL,
    '1',
    '--preset',
    'tiny',
    '-bs',
    '2',
    '--max-steps',
    '1',
    '--logdir',
    at('runs'),
    '-q',
  ]);
  expect(t.code, t.stderr).toBe(0);
});
afterAll(() => work.cleanup());

describe('errors: missing and wrong files', () => {
  it('names a missing input file', async () => {
    expectOneLineError(
      await runMt(['tokenize', at('nope.mid')]),
      1,
      `MIDI file not found: ${at('nope.mid')}`,
    );
    expectOneLineError(
      await runMt(['generate', at('nope.safetensors'), at('o.mid')]),
      1,
      `model file not found: ${at('nope.safetensors')}`,
    );
    expectOneLineError(
      await runMt(['preprocess', at('no-dir'), at('d'), '64']),
      1,
      `source folder not found: ${at('no-dir')}`,
    );
  });

  it('says when a file is not a MIDI file', async () => {
    expectOneLineError(await runMt(['tokenize', NOT_MIDI]), 1, `not a MIDI file: ${NOT_MIDI}`);
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '-i', NOT_MIDI]),
      1,
      `not a MIDI file: ${NOT_MIDI}`,
    );
  });

  it('refuses a file of the wrong kind', async () => {
    expectOneLineError(
      await runMt(['generate', SEED_DATA, at('o.mid')]),
      1,
      `${SEED_DATA} is a dataset, not a model`,
    );
    expectOneLineError(
      await runMt(['train', MODEL, at('c'), at('m'), '1']),
      1,
      `${MODEL} is not a dataset written by mt preprocess`,
    );
  });

  it('skips unreadable MIDI files in preprocess and says why', async () => {
    const dir = at('mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.mid'), 'MThd but not really');
    writeFileSync(
      join(dir, 'good.mid'),
      Buffer.from(await import('node:fs').then((fs) => fs.readFileSync(SATIE))),
    );
    const r = await runMt([
      'preprocess',
      dir,
      at('mixed-data'),
      '128',
      '-t',
      '0',
      '-s',
      '1',
      '--workers',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('read 2 MIDI files: 1 used, 1 skipped');
    expect(r.stdout).toMatch(/skipped broken\.mid: .+/);
  });
});

describe('errors: vocabulary mismatch', () => {
  it('refuses to evaluate a model on a dataset of another vocabulary', async () => {
    expectOneLineError(
      await runMt(['evaluate', MODEL, PRNN_DATA]),
      1,
      `vocabulary mismatch: ${MODEL} uses vocab 'seed' (416 ids) but dataset ${PRNN_DATA} uses 'performance-rnn' (391 ids)`,
    );
  });

  it('refuses to resume a checkpoint on a dataset of another vocabulary', async () => {
    const r = await runMt([
      'train',
      PRNN_DATA,
      at('ckpt.safetensors'),
      at('m2.safetensors'),
      '1',
      '-l',
      '--logdir',
      at('runs'),
      '--name',
      'ckpt',
    ]);
    expectOneLineError(
      r,
      1,
      `vocabulary mismatch: the checkpoint of run 'ckpt' has vocab_size 416 but dataset ${PRNN_DATA} uses vocab 'performance-rnn' (391 ids)`,
    );
  });
});

describe('errors: bad values', () => {
  it('rejects out-of-range temperature and top-p with the allowed range', async () => {
    // More values are checked in-process by packages/cli/src/program.test.ts (no process per case).
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '-t', '0']),
      2,
      "option '-t, --temperature <float>' argument '0' is invalid. Expected a number > 0 and <= 100.",
    );
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '--top-p', '1.5']),
      2,
      "option '-p, --top-p <float>' argument '1.5' is invalid. Expected a number > 0 and <= 1.",
    );
  });

  it('rejects unknown flags and bad choices, listing the valid ones', async () => {
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '--temprature', '1']),
      2,
      "unknown option '--temprature' (Did you mean --temperature?)",
    );
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '-m', 'greedy']),
      2,
      'Allowed choices are categorical, argmax.',
    );
    expectOneLineError(
      await runMt(['train', SEED_DATA, 'c', 'm', '1', '-dr', 'x']),
      2,
      "option '-dr, --dropout <p>' argument 'x' is invalid",
    );
  });

  it('rejects a pitch range that is not LO-HI or an instrument, and one given without the grammar', async () => {
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '--pitch-range', 'kazoo']),
      2,
      "--pitch-range: pitch range 'kazoo' is neither LO-HI (e.g. 21-108) nor an instrument (piano,",
    );
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '--pitch-range', '90-30']),
      2,
      "pitch range '90-30' must have MIDI pitches 0 <= low <= high <= 127",
    );
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '--pitch-range', 'violin', '--no-grammar']),
      2,
      '--pitch-range is part of the music grammar: it cannot go with --no-grammar',
    );
  });

  it('refuses flags that need a primer when there is none', async () => {
    expectOneLineError(
      await runMt(['generate', MODEL, at('o.mid'), '--continuation-only']),
      2,
      '--continuation-only needs a primer file',
    );
  });
});

describe('errors: destinations', () => {
  it('never overwrites without --force', async () => {
    const out = at('exists.mid');
    writeFileSync(out, 'old');
    expectOneLineError(
      await runMt(['generate', MODEL, out, '--max-tokens', '10']),
      1,
      `output file already exists: ${out} (pass --force to overwrite it)`,
    );
    expectOneLineError(
      await runMt(['preprocess', FIXTURES, SEED_DATA, '64']),
      1,
      `dataset already exists: ${SEED_DATA}`,
    );
    expectOneLineError(
      await runMt([
        'train',
        SEED_DATA,
        at('ckpt.safetensors'),
        at('new.safetensors'),
        '1',
        '--logdir',
        at('no-runs'),
      ]),
      1,
      `checkpoint file already exists: ${at('ckpt.safetensors')} (pass -l to resume from it, or --force to start over)`,
    );
    // Its run directory holds checkpoints, which --force never wipes: the way out is a new run name.
    expectOneLineError(
      await runMt([
        'train',
        SEED_DATA,
        at('ckpt.safetensors'),
        at('new.safetensors'),
        '1',
        '--logdir',
        at('runs'),
      ]),
      1,
      `checkpoint file already exists: ${at('ckpt.safetensors')} (pass -l to resume from it, or start a new run with --name NEW --force; run 'ckpt' in ${at('runs')} keeps its checkpoints)`,
    );
    // Resuming may rewrite the run's own model file, but not an unrelated file at that path.
    expectOneLineError(
      await runMt(['train', SEED_DATA, at('ckpt.safetensors'), out, '1', '-l', '--logdir', at('runs')]),
      1,
      `model file already exists: ${out} and was not written by run 'ckpt' (pass --force to overwrite it)`,
    );
    const forced = await runMt(['generate', MODEL, out, '--max-tokens', '10', '--force', '--seed', '1']);
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('names an unwritable destination', async () => {
    const blocker = at('blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    const target = join(blocker, 'out.mid');
    expectOneLineError(await runMt(['generate', MODEL, target]), 1, `cannot write output file ${target}`);
    expectOneLineError(
      await runMt(['detokenize', '-', target], { input: 'note_on_60' }),
      1,
      `cannot write output file ${target}`,
    );
  });
});

describe('errors: default model and verbosity', () => {
  // The bundled model ships (packages/cli/assets/default-model); the message for a missing one is covered
  // by packages/cli/src/model-source.test.ts.
  it('uses the bundled model for generate (no model path or `default`), evaluate and info', async () => {
    const raw = ['default', at('d3.mid'), '--no-grammar', '--min-seconds', '0', '--no-close-notes'];
    for (const args of [[at('d1.mid')], ['default', at('d2.mid')], raw]) {
      const r = await runMt(['generate', ...args, '--seed', '3', '--max-tokens', '400', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        model: string;
        files: Array<{ path: string; stop_reason: string; music_seconds: number; generated: number }>;
      };
      // --min-seconds defaults to 10: the model may not end the piece sooner, except inside the ending
      // zone of the token limit (its last 15 %), where the limit wins.
      const f = out.files[0]!;
      if (args !== raw) {
        const ok = f.stop_reason !== 'end' || f.music_seconds >= 10 || f.generated >= 0.85 * 0.98 * 400;
        expect(ok, JSON.stringify(f)).toBe(true);
      }
      expect(out.model).toMatch(/assets[/\\]default-model[/\\]model\.safetensors$/);
      const { notes } = readNotes(out.files[0]!.path);
      expect(notes.length).toBeGreaterThan(0);
      expect(notes.every((n) => n.duration > 0 && n.midi >= 0 && n.midi < 128)).toBe(true);
    }
    const e = await runMt(['evaluate', 'default', SEED_DATA, '--json']);
    expect(e.code, e.stderr).toBe(0);
    const nll = (JSON.parse(e.stdout) as { nll: number }).nll;
    expect(Number.isFinite(nll) && nll > 0).toBe(true);
    const i = await runMt(['info', 'default']);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/^default: the model bundled with mt/);
    expect(i.stdout).toContain('hparams: d_model 128, layers 3');
  });

  it('a reader closing the pipe early (mt tokenize x.mid | head) is not an error', async () => {
    const child = startMt(['tokenize', join(FIXTURES, 'solace.mid')]);
    child.stdout?.destroy(); // closed before mt writes: its write fails with EPIPE
    const r = await collect(child);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('EPIPE');
  });

  it('--verbose adds the stack trace', async () => {
    const r = await runMt(['tokenize', NOT_MIDI, '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `error: not a MIDI file: ${NOT_MIDI} (it does not start with 'MThd')`,
    );
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
