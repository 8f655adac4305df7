// @ts-check
/** Renders a MIDI file to Ogg Vorbis with Debian's FluidSynth and a General MIDI soundfont. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { QualityError } from './errors.mjs';

/** Debian fluid-soundfont-gm's file. */
export const DEFAULT_SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

/**
 * Writes `outPath` (Ogg Vorbis, 22.05 kHz stereo: small files for a listening set in the repository).
 * fluidsynth's own file writer is used (libsndfile), so no other encoder is needed.
 * @param {string} midiPath
 * @param {string} outPath
 * @param {{ soundfont?: string, timeoutMs?: number }} [options]
 */
export function renderAudio(midiPath, outPath, options = {}) {
  const soundfont = options.soundfont ?? DEFAULT_SOUNDFONT;
  if (!existsSync(soundfont)) {
    throw new QualityError(
      'NO_SYNTH',
      `soundfont ${soundfont} not found (Debian package fluid-soundfont-gm; scripts/setup-audio.sh installs it)`,
    );
  }
  const r = spawnSync(
    'fluidsynth',
    ['-ni', '-q', '-g', '0.7', '-r', '22050', '-T', 'oga', '-F', outPath, soundfont, midiPath],
    { encoding: 'utf8', timeout: options.timeoutMs ?? 120_000 },
  );
  if (r.error && /** @type {NodeJS.ErrnoException} */ (r.error).code === 'ENOENT') {
    throw new QualityError(
      'NO_SYNTH',
      'fluidsynth not found (Debian package fluidsynth; scripts/setup-audio.sh installs it)',
    );
  }
  if (r.error || r.status !== 0 || !existsSync(outPath)) {
    const why = r.error ? r.error.message : `exit ${r.status}: ${(r.stderr || '').trim().split('\n').at(-1)}`;
    throw new QualityError('BAD_INPUT', `${midiPath}: fluidsynth could not render it (${why})`);
  }
}
