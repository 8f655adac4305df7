import { VocabError } from './errors.js';
import type { TokenKind, Vocab } from './vocab.js';

/** One token as a structured value; `value` is the pitch, shift steps or velocity bin (0 for specials). */
export interface VocabEvent {
  kind: TokenKind;
  value: number;
}

/** Events -> ids. Throws `VocabError` (`BAD_TOKEN`) naming the first event the vocab cannot express. */
export function encodeEvents(events: readonly VocabEvent[], vocab: Vocab): Uint16Array {
  const out = new Uint16Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    try {
      out[i] = eventToId(e, vocab);
    } catch (err) {
      throw new VocabError(
        'BAD_TOKEN',
        `event ${i} (${JSON.stringify(e)}) has no id: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
  return out;
}

function eventToId(e: VocabEvent, vocab: Vocab): number {
  switch (e.kind) {
    case 'note_on':
      return vocab.noteOn(e.value);
    case 'note_off':
      return vocab.noteOff(e.value);
    case 'time_shift':
      return vocab.timeShift(e.value);
    case 'velocity':
      return vocab.velocity(e.value);
    case 'pad':
      return vocab.pad;
    case 'start':
      return vocab.start;
    case 'end':
      return vocab.end;
    default:
      throw new VocabError(
        'BAD_TOKEN',
        `unknown event kind ${JSON.stringify((e as { kind: unknown }).kind)}`,
      );
  }
}

/** Ids -> events; throws `VocabError` (`BAD_TOKEN`) on an id outside the vocab. */
export function decodeEvents(tokens: ArrayLike<number>, vocab: Vocab): VocabEvent[] {
  const out: VocabEvent[] = new Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    out[i] = { kind: vocab.kindOf(id), value: vocab.valueOf(id) };
  }
  return out;
}
