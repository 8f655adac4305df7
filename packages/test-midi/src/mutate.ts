/**
 * Hostile variants of valid Standard MIDI Files, for fuzz tests and the fuzz bench script. Besides blind
 * byte damage it makes the well-formed-but-costly files a careless writer or an attacker produces: giant
 * delta times (a few bytes that claim days of silence), long pile-ups of note-ons on one pitch, lying
 * chunk lengths and header fields. Deterministic for a given source and random stream.
 */

/** The part of a seeded random stream the mutator needs (structurally the vocab package's `Rng`). */
export interface IntSource {
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
}

export const MUTATION_KINDS = [
  'flip',
  'truncate',
  'giant-delta',
  'pileup',
  'chunk-length',
  'header',
  'splice',
  'slow-tempo',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  kind: MutationKind;
  bytes: Uint8Array;
}

/** Byte offsets of the chunks and of each event's delta time in a valid file's MTrk chunks. */
interface Layout {
  chunks: { start: number; body: number; end: number; isTrack: boolean }[];
  /** [chunk index, offset of the delta-time VLQ, its byte length]. */
  deltas: { chunk: number; at: number; size: number }[];
}

const u32 = (b: Uint8Array, p: number): number =>
  ((b[p]! << 24) >>> 0) + (b[p + 1]! << 16) + (b[p + 2]! << 8) + b[p + 3]!;

/** Data bytes after a channel status (index = status >> 4). */
const DATA = [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 2];

/** Walks a file assumed valid; stops quietly at anything it does not understand. */
function layoutOf(src: Uint8Array): Layout {
  const chunks: Layout['chunks'] = [];
  const deltas: Layout['deltas'] = [];
  let pos = 8 + u32(src, 4);
  while (pos + 8 <= src.length) {
    const isTrack =
      src[pos] === 0x4d && src[pos + 1] === 0x54 && src[pos + 2] === 0x72 && src[pos + 3] === 0x6b;
    const end = Math.min(src.length, pos + 8 + u32(src, pos + 4));
    chunks.push({ start: pos, body: pos + 8, end, isTrack });
    if (isTrack) {
      let p = pos + 8;
      let running = 0;
      while (p < end) {
        const at = p;
        while (p < end && src[p]! & 0x80) p++;
        p++;
        deltas.push({ chunk: chunks.length - 1, at, size: p - at });
        let status = src[p]!;
        if (status & 0x80) p++;
        else status = running;
        if (status === 0xff || status === 0xf0 || status === 0xf7) {
          if (status === 0xff) p++;
          let len = 0;
          while (p < end && src[p]! & 0x80) len = len * 128 + (src[p++]! & 0x7f);
          len = len * 128 + (src[p++]! & 0x7f);
          p += len;
          running = 0;
        } else if (status >> 4 >= 8) {
          running = status;
          p += DATA[status >> 4]!;
        } else break;
      }
    }
    pos = end;
  }
  return { chunks, deltas };
}

function setU32(b: Uint8Array, p: number, v: number): void {
  b[p] = (v >>> 24) & 0xff;
  b[p + 1] = (v >>> 16) & 0xff;
  b[p + 2] = (v >>> 8) & 0xff;
  b[p + 3] = v & 0xff;
}

/** Replaces byte ranges [at, at+size) with new bytes and fixes the lengths of the chunks they sit in. */
function rewrite(
  src: Uint8Array,
  layout: Layout,
  edits: { chunk: number; at: number; size: number; with: number[] }[],
): Uint8Array {
  const sorted = [...edits].sort((a, b) => a.at - b.at);
  const grow = new Map<number, number>();
  const parts: number[] = [];
  let p = 0;
  for (const e of sorted) {
    if (e.at < p) continue;
    for (; p < e.at; p++) parts.push(src[p]!);
    parts.push(...e.with);
    p = e.at + e.size;
    grow.set(e.chunk, (grow.get(e.chunk) ?? 0) + e.with.length - e.size);
  }
  for (; p < src.length; p++) parts.push(src[p]!);
  const out = Uint8Array.from(parts);
  // Chunk headers move by the growth of the chunks before them.
  let shift = 0;
  layout.chunks.forEach((c, i) => {
    const g = grow.get(i) ?? 0;
    if (g !== 0) setU32(out, c.start + shift + 4, c.end - c.body + g);
    shift += g;
  });
  return out;
}

const GIANT_DELTA = [0xff, 0xff, 0xff, 0x7f]; // 0x0FFFFFFF ticks, the largest a VLQ can say

/** One mutation of `src` (a valid MIDI file), its kind drawn from `kinds`. */
export function mutateMidi(
  src: Uint8Array,
  rng: IntSource,
  kinds: readonly MutationKind[] = MUTATION_KINDS,
): Mutation {
  const kind = kinds[rng.nextInt(kinds.length)]!;
  return { kind, bytes: mutateAs(kind, src, rng) };
}

function mutateAs(kind: MutationKind, src: Uint8Array, rng: IntSource): Uint8Array {
  const layout = layoutOf(src);
  const tracks = layout.chunks.map((c, i) => ({ ...c, i })).filter((c) => c.isTrack);
  switch (kind) {
    case 'flip': {
      const b = Uint8Array.from(src);
      const flips = 1 + rng.nextInt(8);
      for (let i = 0; i < flips; i++) b[rng.nextInt(b.length)] = rng.nextInt(256);
      return b;
    }
    case 'truncate':
      return src.slice(0, rng.nextInt(src.length));
    case 'giant-delta': {
      const count = 1 + rng.nextInt(80);
      const edits = [];
      for (let i = 0; i < count && layout.deltas.length > 0; i++) {
        const d = layout.deltas[rng.nextInt(layout.deltas.length)]!;
        edits.push({ ...d, with: GIANT_DELTA });
      }
      const out = rewrite(src, layout, edits);
      // Half of them also at 1 tick per beat: each giant delta then claims years.
      if (rng.nextInt(2) === 0) {
        out[12] = 0;
        out[13] = 1;
      }
      return out;
    }
    case 'pileup': {
      // N note-ons of one pitch, then N note-offs: FIFO pairing must stay linear in N.
      const t = tracks[rng.nextInt(tracks.length)];
      if (!t) return src;
      const n = 1 + rng.nextInt(3000);
      const pitch = 21 + rng.nextInt(88);
      const ev: number[] = [];
      for (let i = 0; i < n; i++) ev.push(0, 0x90, pitch, 1 + rng.nextInt(127));
      for (let i = 0; i < n; i++) ev.push(rng.nextInt(2), 0x80, pitch, 0);
      return rewrite(src, layout, [{ chunk: t.i, at: t.body, size: 0, with: ev }]);
    }
    case 'chunk-length': {
      const c = layout.chunks[rng.nextInt(layout.chunks.length)];
      const b = Uint8Array.from(src);
      const choices = [0, 0xffffffff, 0x7fffffff, rng.nextInt(1 << 20), rng.nextInt(256)];
      setU32(b, c ? c.start + 4 : 4, choices[rng.nextInt(choices.length)]!);
      return b;
    }
    case 'header': {
      const b = Uint8Array.from(src);
      const at = 8 + rng.nextInt(6); // format, track count, division
      b[at] = [0, 1, 0x7f, 0x80, 0xff][rng.nextInt(5)]!;
      return b;
    }
    case 'splice': {
      // A copy of a random range pasted elsewhere: plausible events in the wrong place.
      const from = rng.nextInt(src.length);
      const len = rng.nextInt(Math.min(4096, src.length - from) + 1);
      const at = rng.nextInt(src.length);
      const out = new Uint8Array(src.length + len);
      out.set(src.subarray(0, at), 0);
      out.set(src.subarray(from, from + len), at);
      out.set(src.subarray(at), at + len);
      return out;
    }
    case 'slow-tempo': {
      // The slowest tempo (16.7 s per beat) and 1 tick per beat: every tick is long.
      const t = tracks[0];
      const b = Uint8Array.from(src);
      b[12] = 0;
      b[13] = 1;
      if (!t) return b;
      return rewrite(b, layout, [
        { chunk: t.i, at: t.body, size: 0, with: [0, 0xff, 0x51, 3, 0xff, 0xff, 0xff] },
      ]);
    }
  }
}
