import type { StopSource } from '../interrupt.js';

/**
 * A stop source for `CliEnv.stops` that the test controls: `stop()` ends the command as SIGINT or
 * SIGTERM would, and `disposed()` tells whether the command let go of it.
 */
export function testStops(): { stops: StopSource; stop: () => void; disposed: () => boolean } {
  const controller = new AbortController();
  let disposed = false;
  const stops: StopSource = () => ({
    signal: controller.signal,
    dispose: () => {
      disposed = true;
    },
  });
  return { stops, stop: () => controller.abort(), disposed: () => disposed };
}
