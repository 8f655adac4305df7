import type { FakeTime } from './fake-time.js';

/** Lets pending immediates and promise callbacks run (the inline generator works in immediates). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advances fake time by `ms` in steps, letting asynchronous work run between steps. */
export async function run(time: FakeTime, ms: number, stepMs = 5): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    await flush();
    time.advance(Math.min(stepMs, ms - t));
  }
  await flush();
}
