import { describe, expect, it } from 'vitest';
import { ccActions, InputRouter } from './input-router.js';

describe('input routing', () => {
  it('turns mapped control changes into actions, and ignores unmapped ones', () => {
    const map = { temperature: 21, pause: 64 };
    expect(ccActions(map, 21, 127)).toEqual([{ kind: 'controls', update: { temperature: 2 } }]);
    expect(ccActions(map, 64, 64)).toEqual([{ kind: 'pause' }]);
    expect(ccActions(map, 64, 63)).toEqual([{ kind: 'resume' }]);
    expect(ccActions(map, 22, 127)).toEqual([]);
  });

  it('sends control changes to the controls and everything else to call and response', () => {
    const calls: string[] = [];
    const router = new InputRouter({
      follower: null,
      ccMap: { density: 22 },
      callResponse: {
        handle: (_m: unknown, _ms: number, answering: boolean) => calls.push(`phrase ${answering}`),
      } as never,
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
      setControls: (update) => calls.push(`controls ${JSON.stringify(update)}`),
      answering: () => true,
    });
    router.handle({ type: 'cc', channel: 0, controller: 22, value: 0 }, 0);
    router.handle({ type: 'cc', channel: 0, controller: 23, value: 0 }, 0);
    router.handle({ type: 'noteon', channel: 0, note: 60, velocity: 90 }, 5);
    expect(calls).toEqual(['controls {"density":0}', 'phrase true']);
  });
});
