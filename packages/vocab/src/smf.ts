import { MidiParseError } from './errors.js';

/** A note as stored in the file: note-on paired with its note-off, in ticks. */
export interface RawNote {
  track: number;
  /** 0-based MIDI channel (General MIDI drums = 9). */
  channel: number;
  pitch: number;
  /** 1..127 (a note-on with velocity 0 is a note-off). */
  velocity: number;
  startTick: number;
  endTick: number;
  /** True when the file never released it; it was closed at the end of its track. */
  unterminated: boolean;
}

export interface RawController {
  channel: number;
  tick: number;
  value: number;
}

export interface RawTempo {
  tick: number;
  microsPerBeat: number;
}

/** Everything the tokenizer needs from a Standard MIDI File, with tracks already merged. */
export interface SmfScan {
  format: 0 | 1;
  ppq: number;
  trackCount: number;
  notes: RawNote[];
  /** CC64 (sustain pedal) events in file order per track, tracks one after another. */
  sustain: RawController[];
  tempos: RawTempo[];
  /** Latest tick of any event (end of the music, used to close a pedal that is never lifted). */
  lastTick: number;
  orphanNoteOffs: number;
}

/** Bytes of each channel-message type after the status byte (index = status >> 4, 0x8..0xE). */
const DATA_BYTES = [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 2];

/** Chunk ids are 4 ASCII bytes. */
const ascii = (b: Uint8Array): string => String.fromCharCode(...b);

/**
 * Strict single-pass reader for Standard MIDI Files. It checks every chunk length and event against the
 * bytes actually present, so truncated or corrupt data raises `MidiParseError` instead of yielding NaN
 * (midi-file, used by @tonejs/midi, reads past the end of a chunk silently). Note-ons are paired with
 * note-offs FIFO per (track, channel, pitch), the rule @tonejs/midi uses; unlike it, unmatched note-ons
 * are kept (closed at the end of their track) and counted instead of being dropped.
 * Time and memory are linear in the file's size; a file holding more than `maxNotes` notes is refused
 * as soon as the reader gets there, before it costs more.
 */
export function scanSmf(bytes: Uint8Array, fileName: string, maxNotes = Number.POSITIVE_INFINITY): SmfScan {
  const fail = (reason: string, limit?: 'maxTokens'): never => {
    throw new MidiParseError(fileName, reason, limit === undefined ? undefined : { limit });
  };
  if (!(bytes instanceof Uint8Array))
    fail(`input must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  const len = bytes.length;
  if (len === 0) fail('file is empty');
  if (len < 14) fail(`file is ${len} bytes, too short for a MIDI header (14 bytes)`);
  const u32 = (p: number): number =>
    ((bytes[p]! << 24) >>> 0) + (bytes[p + 1]! << 16) + (bytes[p + 2]! << 8) + bytes[p + 3]!;
  const u16 = (p: number): number => (bytes[p]! << 8) | bytes[p + 1]!;
  const id = ascii(bytes.subarray(0, 4));
  if (id !== 'MThd') fail(`not a MIDI file (starts with ${JSON.stringify(id)}, expected "MThd")`);
  const headerLen = u32(4);
  if (headerLen < 6) fail(`MThd chunk length ${headerLen} is below 6`);
  if (8 + headerLen > len) fail(`truncated: MThd chunk needs ${headerLen} bytes, file has ${len - 8}`);
  const format = u16(8);
  const declaredTracks = u16(10);
  const division = u16(12);
  if (format === 2) fail('format 2 (independent sequences) is not supported');
  if (format > 2) fail(`unknown MIDI format ${format}`);
  if (declaredTracks === 0) fail('header declares 0 tracks');
  if (division & 0x8000) fail('SMPTE time division is not supported (only ticks per quarter note)');
  if (division === 0) fail('ticks per quarter note is 0');

  const out: Collected = { notes: [], sustain: [], tempos: [], orphanNoteOffs: 0 };
  const pairing = createPairing();
  let lastTick = 0;
  let pos = 8 + headerLen;
  let track = 0;
  while (track < declaredTracks) {
    if (pos >= len) fail(`truncated: header declares ${declaredTracks} tracks, found ${track}`);
    if (pos + 8 > len) fail(`truncated chunk header at byte ${pos}`);
    const chunkId = ascii(bytes.subarray(pos, pos + 4));
    const chunkLen = u32(pos + 4);
    const body = pos + 8;
    const chunkEnd = body + chunkLen;
    if (chunkEnd > len)
      fail(
        `truncated: chunk ${JSON.stringify(chunkId)} at byte ${pos} needs ${chunkLen} bytes, ${len - body} left`,
      );
    pos = chunkEnd;
    // The SMF spec tells readers to skip unknown chunk types.
    if (chunkId !== 'MTrk') {
      if (!/^[\x20-\x7e]{4}$/.test(chunkId)) fail(`bad chunk id at byte ${body - 8}`);
      continue;
    }
    lastTick = Math.max(lastTick, scanTrack(bytes, body, chunkEnd, track, fail, out, pairing, maxNotes));
    track++;
  }
  return { format: format as 0 | 1, ppq: division, trackCount: track, lastTick, ...out };
}

/** What the tracks contribute, merged over all tracks. */
type Collected = Pick<SmfScan, 'notes' | 'sustain' | 'tempos' | 'orphanNoteOffs'>;

/**
 * Open notes per channel * 128 + pitch, first in first out. A queue is an array read from `head[key]`
 * on, so taking the oldest note is O(1) (`Array.shift` is O(n): N note-ons of one pitch followed by N
 * note-offs would cost N^2). Allocated once per file and emptied after each track.
 */
interface Pairing {
  queues: (number[] | undefined)[];
  head: Int32Array;
  /** Keys with a queue, so emptying touches only those. */
  used: number[];
}

function createPairing(): Pairing {
  return { queues: new Array(2048).fill(undefined), head: new Int32Array(2048), used: [] };
}

/** Reads the events of one MTrk chunk body [start, end) into `out`; returns the track's last tick. */
function scanTrack(
  bytes: Uint8Array,
  start: number,
  end: number,
  track: number,
  fail: (reason: string, limit?: 'maxTokens') => never,
  out: Collected,
  pairing: Pairing,
  maxNotes: number,
): number {
  const { notes, sustain, tempos } = out;
  const { queues, head, used } = pairing;
  let p = start;
  let tick = 0;
  let running = 0;
  let orphans = 0;
  const readVar = (): number => {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (p >= end) fail(`truncated variable-length number in track ${track} at byte ${p}`);
      const b = bytes[p++]!;
      v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return v;
    }
    return fail(`variable-length number longer than 4 bytes in track ${track} at byte ${p - 4}`);
  };
  while (p < end) {
    tick += readVar();
    if (p >= end) fail(`truncated event in track ${track} at byte ${p}`);
    let status = bytes[p]!;
    if (status & 0x80) {
      p++;
    } else {
      if (running === 0)
        fail(`data byte 0x${status.toString(16)} without a status byte in track ${track} at byte ${p}`);
      status = running;
    }
    if (status === 0xff) {
      if (p >= end) fail(`truncated meta event in track ${track} at byte ${p}`);
      const type = bytes[p++]!;
      const mlen = readVar();
      if (p + mlen > end)
        fail(`truncated meta event (type 0x${type.toString(16)}) in track ${track} at byte ${p}`);
      if (type === 0x51) {
        if (mlen !== 3) fail(`tempo event of length ${mlen} (expected 3) in track ${track} at byte ${p}`);
        const micros = (bytes[p]! << 16) | (bytes[p + 1]! << 8) | bytes[p + 2]!;
        if (micros === 0) fail(`tempo of 0 microseconds per beat in track ${track} at byte ${p}`);
        tempos.push({ tick, microsPerBeat: micros });
      }
      p += mlen;
      running = 0;
      if (type === 0x2f) break; // end of track: bytes after it are padding
      continue;
    }
    if (status === 0xf0 || status === 0xf7) {
      const slen = readVar();
      if (p + slen > end) fail(`truncated sysex in track ${track} at byte ${p}`);
      p += slen;
      running = 0;
      continue;
    }
    const hi = status >> 4;
    if (hi === 0xf)
      fail(
        `status byte 0x${status.toString(16)} is not allowed in a MIDI file (track ${track}, byte ${p - 1})`,
      );
    running = status;
    const n = DATA_BYTES[hi]!;
    if (p + n > end) fail(`truncated channel message in track ${track} at byte ${p}`);
    const d1 = bytes[p]!;
    const d2 = n === 2 ? bytes[p + 1]! : 0;
    if (d1 & 0x80 || d2 & 0x80) fail(`data byte above 127 in track ${track} at byte ${p}`);
    p += n;
    const channel = status & 0x0f;
    if (hi === 0x9 && d2 > 0) {
      if (notes.length >= maxNotes)
        fail(
          `more than ${maxNotes} notes (track ${track}, byte ${p - n}), above the limit of ${maxNotes} tokens (maxTokens)`,
          'maxTokens',
        );
      const key = channel * 128 + d1;
      let q = queues[key];
      if (q === undefined) {
        q = [];
        queues[key] = q;
        used.push(key);
      }
      q.push(notes.length);
      notes.push({
        track,
        channel,
        pitch: d1,
        velocity: d2,
        startTick: tick,
        endTick: tick,
        unterminated: false,
      });
    } else if (hi === 0x8 || hi === 0x9) {
      const key = channel * 128 + d1;
      const q = queues[key];
      if (q === undefined || head[key]! >= q.length) orphans++;
      else {
        notes[q[head[key]!]!]!.endTick = tick;
        head[key]!++;
        // Drained: start over so the array does not keep growing across bursts.
        if (head[key] === q.length) {
          q.length = 0;
          head[key] = 0;
        }
      }
    } else if (hi === 0xb && d1 === 64) {
      sustain.push({ channel, tick, value: d2 });
    }
  }
  for (const key of used) {
    const q = queues[key]!;
    for (let i = head[key]!; i < q.length; i++) {
      const note = notes[q[i]!]!;
      note.endTick = tick;
      note.unterminated = true;
    }
    queues[key] = undefined;
    head[key] = 0;
  }
  used.length = 0;
  out.orphanNoteOffs += orphans;
  return tick;
}
