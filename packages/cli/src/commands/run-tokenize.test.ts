import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRUM_PITCHES, PIANO_PITCHES, pianoAndDrumsMidi } from '@music-transformer/test-midi';
import { createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../test-utils/capture-io.js';
import { expectCliError } from '../test-utils/cli-errors.js';
import { SATIE } from '../test-utils/fixtures.js';
import { tempDir } from '../test-utils/temp-dir.js';
import { runTokenize, type TokenizeFlags } from './run-tokenize.js';

const root = tempDir('mt-cli-run-tokenize-');
const band = join(root, 'band.mid');
writeFileSync(band, pianoAndDrumsMidi());

interface Tokenized {
  file: string;
  vocab: { name: string };
  tokens: number[];
  names: string[];
  report: { notesEncoded: number };
}

/** `runTokenize` with commander's defaults plus `extra`: stdout and stderr as text. */
async function tokenize(file: string, extra: Partial<TokenizeFlags> = {}) {
  const run = captureIo();
  await runTokenize(file, { as: 'names', ...extra }, run);
  return { out: run.out(), err: run.err() };
}

/** The same with --json, parsed. */
async function tokenizeJson(file: string, extra: Partial<TokenizeFlags> = {}): Promise<Tokenized> {
  return JSON.parse((await tokenize(file, { ...extra, json: true })).out) as Tokenized;
}

describe('runTokenize', () => {
  it('prints the tokens of a real piece as JSON, as ids and as names, all the same sequence', async () => {
    const json = await tokenizeJson(SATIE);
    const vocab = createVocab();
    expect(json).toMatchObject({ file: SATIE, vocab: { name: vocab.config.name } });
    expect(json.tokens.length).toBeGreaterThan(json.report.notesEncoded);
    expect(json.names).toEqual(json.tokens.map((id) => vocab.name(id)));

    const ids = await tokenize(SATIE, { as: 'ids' });
    expect(ids.out).toBe(`${json.tokens.join(' ')}\n`);
    expect(ids.err).toBe(
      `${SATIE}: ${json.tokens.length} tokens, ${json.report.notesEncoded} notes (vocab '${vocab.config.name}')\n`,
    );
    expect((await tokenize(SATIE)).out).toBe(`${json.names.join('\n')}\n`);

    const wrapped = await tokenizeJson(SATIE, { startEnd: true });
    expect(wrapped.tokens).toEqual([vocab.start, ...json.tokens, vocab.end]);
  });

  it('drops the drums channel unless --drums, and follows --preset', async () => {
    const notesOf = (t: Tokenized) =>
      new Set(t.names.filter((n) => n.startsWith('note_on_')).map((n) => Number(n.slice(8))));
    expect(notesOf(await tokenizeJson(band))).toEqual(new Set(PIANO_PITCHES));
    expect(notesOf(await tokenizeJson(band, { drums: true }))).toEqual(
      new Set([...PIANO_PITCHES, ...DRUM_PITCHES]),
    );
    const other = await tokenizeJson(band, { preset: 'performance-rnn' });
    expect(other.vocab.name).toBe('performance-rnn');
  });

  it('names a missing file and a file that is not MIDI', async () => {
    const missing = join(root, 'missing.mid');
    await expectCliError(tokenize(missing), 'NOT_FOUND', `MIDI file not found: ${missing}`);
    const text = join(root, 'notes.txt');
    writeFileSync(text, 'not a song');
    const notMidi = `not a MIDI file: ${text} (it does not start with 'MThd')`;
    await expectCliError(tokenize(text), 'BAD_INPUT', notMidi);
  });
});
