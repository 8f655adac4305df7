import { describe, expect, it } from 'vitest';
import type { BridgeError } from './errors.js';
import { watchPorts } from './port-watch.js';

describe('watchPorts', () => {
  it('reports a watched port that disappears, once', async () => {
    let outputs = ['loopMIDI Port', 'Other'];
    const lost: BridgeError[] = [];
    const stop = watchPorts(
      { listOutputs: () => outputs, listInputs: () => [] },
      { outputs: ['loopMIDI Port'] },
      (e) => lost.push(e),
      5,
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(lost).toEqual([]);
    outputs = ['Other'];
    await new Promise((r) => setTimeout(r, 40));
    stop();
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ code: 'PORT_LOST', message: "MIDI port 'loopMIDI Port' disappeared" });
  });
});
