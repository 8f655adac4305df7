import { jackServerMissing, requireJackOr } from '@music-transformer/test-midi/jack';
import { findJackFrameAddon } from '../jack-frame-output.js';

export { type DumpedMessage, JackMidiDump, jackPorts } from '@music-transformer/test-midi/jack';

/**
 * Why the JACK tests of this package cannot run here (no JACK, no server, the frame-exact output not
 * built), or null when they can. With MT_REQUIRE_JACK=1 (CI) a reason is an error instead, so a suite
 * cannot pass by skipping.
 */
export function jackFramesUnavailable(): string | null {
  const missing = jackServerMissing();
  const notBuilt =
    findJackFrameAddon() === null
      ? 'the frame-exact JACK output is not built (run scripts/setup-jack-midi.sh)'
      : null;
  return requireJackOr(missing ?? notBuilt);
}
