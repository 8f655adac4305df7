import type { SamplingControls } from '../controls.js';
import type { TokenSource } from '../token-source.js';

/**
 * A token source that replays a fixed loop of ids, recording what it was asked; for tests of the
 * bridge's logic where the model's choices do not matter.
 */
export class ScriptedSource implements TokenSource {
  tokens: number[] = [];
  readonly samplings: Array<Partial<SamplingControls>> = [];
  readonly primers: number[][] = [];
  private i = 0;

  constructor(private readonly loop: readonly number[]) {}

  next(): number {
    const id = this.loop[this.i % this.loop.length] as number;
    this.i++;
    this.tokens.push(id);
    return id;
  }

  setSampling(update: Partial<SamplingControls>): void {
    this.samplings.push(update);
  }

  reset(primer: readonly number[]): void {
    this.primers.push([...primer]);
    this.tokens = [...primer];
    this.i = 0;
  }
}

/** velocity 80, note-on p, 256 ms, note-off p, 256 ms: one note per 512 ms. */
export function pulseLoop(pitches: readonly number[]): number[] {
  return pitches.flatMap((p) => [382 + 20, p + 1, 256 + 32, p + 129, 256 + 32]);
}
