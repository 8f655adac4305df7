#!/usr/bin/env node
// @ts-check
/**
 * The listening set: for each MIDI file, a piano-roll PNG and (unless --no-audio) an Ogg Vorbis rendering
 * with FluidSynth, so generated music can be looked at and heard without running the model. Prints one
 * JSON line per file; a file that cannot be read is reported and skipped, the others go on.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { QualityError } from './errors.mjs';
import { intFlag, parseFlags } from './flags.mjs';
import { drawPianoRoll, rollNotes } from './piano-roll.mjs';
import { PIANO } from './pitch-range.mjs';
import { DEFAULT_SOUNDFONT, renderAudio } from './render-audio.mjs';

const USAGE = `Usage: node scripts/quality/listen.mjs MIDI_FILE_OR_DIR... --out DIR [options]

Writes DIR/<name>.png (piano roll) and DIR/<name>.ogg (FluidSynth, General MIDI piano) per MIDI file.
  --out DIR          output folder (created)
  --count N          at most N files per folder given (sorted by name; default all)
  --no-audio         pictures only
  --soundfont FILE   default ${DEFAULT_SOUNDFONT}
  --px-per-second N  horizontal scale of the picture (default 40)
Exit status: 0 all rendered, 1 some files skipped, 2 bad arguments or no synthesizer.`;

/** @param {string} path @param {number | undefined} count */
async function midiFiles(path, count) {
  const info = await stat(path).catch((cause) => {
    throw new QualityError('BAD_INPUT', `${path}: not found`, { cause });
  });
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path))
    .filter((n) => ['.mid', '.midi'].includes(extname(n).toLowerCase()))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.slice(0, count ?? names.length).map((n) => join(path, n));
}

async function main() {
  const { values, positionals } = parseFlags(
    {
      args: process.argv.slice(2),
      options: {
        out: { type: 'string' },
        count: { type: 'string' },
        'no-audio': { type: 'boolean', default: false },
        soundfont: { type: 'string' },
        'px-per-second': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0 || values.out === undefined) {
    throw new QualityError('BAD_ARGS', `expected MIDI files or folders and --out DIR\n${USAGE}`);
  }
  const count = intFlag('count', values.count, 1);
  const pxPerSecond = intFlag('px-per-second', values['px-per-second'], 1) ?? 40;
  await mkdir(values.out, { recursive: true });
  let skipped = 0;
  for (const path of positionals) {
    for (const file of await midiFiles(path, count)) {
      const stem = basename(file, extname(file));
      try {
        const notes = rollNotes(new Uint8Array(await readFile(file)));
        const roll = drawPianoRoll(notes, { pxPerSecond });
        const png = join(values.out, `${stem}.png`);
        await writeFile(png, roll.png);
        let audio = null;
        if (!values['no-audio']) {
          audio = join(values.out, `${stem}.ogg`);
          renderAudio(file, audio, values.soundfont === undefined ? {} : { soundfont: values.soundfont });
        }
        const outside = notes.filter((n) => n.pitch < PIANO.low || n.pitch > PIANO.high).length;
        const seconds = Math.max(0, ...notes.map((n) => n.end));
        console.log(
          JSON.stringify({
            file,
            png,
            audio,
            notes: notes.length,
            seconds: Math.round(seconds * 1000) / 1000,
            outsidePiano: outside,
            width: roll.width,
            height: roll.height,
          }),
        );
      } catch (error) {
        if (error instanceof QualityError && error.code === 'NO_SYNTH') throw error;
        skipped++;
        const why = error instanceof Error ? error.message : String(error);
        console.error(`listen: skipped ${file}: ${why}`);
      }
    }
  }
  return skipped > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof QualityError) {
      console.error(`listen: ${error.code}: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  },
);
