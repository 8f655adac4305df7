import type { SamplingControls } from '../controls.js';
import type { GeneratorListener, TokenGenerator } from '../generator.js';

/** A generator the test feeds by hand, to create underruns and check what the bridge asked for. */
export class ManualGenerator implements TokenGenerator {
  readonly ready = Promise.resolve();
  listener: GeneratorListener | null = null;
  owed = 0;
  epoch = 0;
  closed = false;
  readonly primers: number[][] = [];
  readonly samplings: Array<Partial<SamplingControls>> = [];

  listen(listener: GeneratorListener): void {
    this.listener = listener;
  }

  request(count: number): void {
    this.owed += count;
  }

  reset(primer: readonly number[]): number {
    this.epoch++;
    this.owed = 0;
    this.primers.push([...primer]);
    // Like the real generators, the answer arrives asynchronously (after reset() has returned).
    const epoch = this.epoch;
    queueMicrotask(() => this.listener?.primed([...primer], epoch));
    return epoch;
  }

  setSampling(controls: Partial<SamplingControls>): void {
    this.samplings.push(controls);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Delivers `ids` as the current epoch's next batch. */
  feed(ids: number[]): void {
    this.owed = Math.max(0, this.owed - ids.length);
    this.listener?.tokens(ids, this.epoch, 1);
  }
}
