import type { SustainMode } from './config.js';
import { MidiParseError, VocabError } from './errors.js';
import { type MidiLimits, resolveMidiLimits } from './limits.js';
import type { SourceNote } from './notes.js';
import { scanSmf } from './smf.js';
import { applySustain } from './sustain.js';
import { createTempoMap } from './tempo-map.js';

export interface ReadMidiOptions {
  /** Used in error messages and the report. */
  fileName: string;
  /** Keep channel 10 (0-based 9, General MIDI drums). Default false: drums are excluded and counted. */
  includeDrums?: boolean;
  /** Sustain pedal handling. Default 'extend'. */
  sustain?: SustainMode;
  /** Longest piece accepted (defaults: `DEFAULT_MIDI_LIMITS`); longer ones are refused, never trimmed. */
  limits?: Partial<MidiLimits>;
}

/** What reading a file found; nothing is dropped without being counted here. */
export interface ReadReport {
  fileName: string;
  format: 0 | 1;
  ppq: number;
  tracks: number;
  tempoChanges: number;
  /** Seconds from 0 to the last event. */
  durationSeconds: number;
  /** Notes found in the file, all channels. */
  notesInFile: number;
  /** Per excluded channel (0-based; drums are 9), how many notes it had. */
  excludedChannels: { channel: number; notes: number }[];
  /** Note-ons never released; kept, ending at the end of their track. */
  unterminatedNotes: number;
  /** Note-offs with no sounding note: ignored. */
  orphanNoteOffs: number;
  /** Notes lengthened by the sustain pedal. */
  sustainExtended: number;
}

/**
 * MIDI bytes -> notes in real seconds (tempo map applied), all tracks and channels merged by time and
 * sorted by onset then pitch. Throws `MidiParseError` on bad bytes.
 */
export function readMidiNotes(
  bytes: Uint8Array,
  options: ReadMidiOptions,
): { notes: SourceNote[]; report: ReadReport } {
  if (typeof options?.fileName !== 'string') {
    throw new VocabError(
      'BAD_ARGUMENT',
      'readMidiNotes/midiToTokens: options.fileName (a string) is required',
    );
  }
  const limits = resolveMidiLimits(options.limits);
  // A kept note is two tokens unless merged with a duplicate: more notes than `maxTokens` is hostile.
  const scan = scanSmf(bytes, options.fileName, limits.maxTokens);
  const sustainExtended =
    (options.sustain ?? 'extend') === 'extend' ? applySustain(scan.notes, scan.sustain, scan.lastTick) : 0;
  const toSeconds = createTempoMap(scan.tempos, scan.ppq);
  const excluded = new Map<number, number>();
  const notes: SourceNote[] = [];
  let unterminated = 0;
  let lastEnd = 0;
  for (const n of scan.notes) {
    if (n.unterminated) unterminated++;
    if (n.channel === 9 && !options.includeDrums) {
      excluded.set(9, (excluded.get(9) ?? 0) + 1);
      continue;
    }
    const end = toSeconds(n.endTick);
    if (end > lastEnd) lastEnd = end;
    notes.push({
      pitch: n.pitch,
      velocity: n.velocity,
      start: toSeconds(n.startTick),
      end,
      channel: n.channel,
      track: n.track,
    });
  }
  // Checked before anything is laid out on the time grid: the grid costs memory per second of music.
  if (lastEnd > limits.maxSeconds) {
    throw new MidiParseError(
      options.fileName,
      `the music lasts ${formatSeconds(lastEnd)} (a note ends there), above the limit of ${formatSeconds(limits.maxSeconds)} (maxSeconds)`,
      { limit: 'maxSeconds' },
    );
  }
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  return {
    notes,
    report: {
      fileName: options.fileName,
      format: scan.format,
      ppq: scan.ppq,
      tracks: scan.trackCount,
      tempoChanges: scan.tempos.length,
      durationSeconds: toSeconds(scan.lastTick),
      notesInFile: scan.notes.length,
      excludedChannels: [...excluded].map(([channel, count]) => ({ channel, notes: count })),
      unterminatedNotes: unterminated,
      orphanNoteOffs: scan.orphanNoteOffs,
      sustainExtended,
    },
  };
}

/** "7,200 s" / "3.2e+12 s": readable whatever the size. */
function formatSeconds(s: number): string {
  return s < 1e9 ? `${Math.round(s).toLocaleString('en-US')} s` : `${s.toExponential(1)} s`;
}
