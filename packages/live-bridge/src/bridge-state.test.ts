import { describe, expect, it } from 'vitest';
import { runningState, stateAfterStart, stateWhenGateOpens } from './bridge-state.js';

describe('bridge states', () => {
  it('starts by listening in the player modes, and waits for the DAW when its clock has not started', () => {
    expect(stateAfterStart('generate', false)).toBe('starting');
    expect(stateAfterStart('generate', true)).toBe('waiting');
    expect(stateAfterStart('call-response', false)).toBe('listening');
    expect(stateAfterStart('continue', true)).toBe('listening');
  });

  it('shows a held gate first, then whether an answer is open', () => {
    const view = { gate: null, answersPlayer: false, phraseOpen: true };
    expect(runningState(view)).toBe('playing');
    expect(runningState({ ...view, gate: 'underrun' })).toBe('underrun');
    expect(runningState({ ...view, gate: 'response', answersPlayer: true })).toBe('starting');
    expect(runningState({ ...view, answersPlayer: true })).toBe('responding');
    expect(runningState({ ...view, answersPlayer: true, phraseOpen: false })).toBe('listening');
  });

  it('keeps paused and waiting when held music is released', () => {
    expect(stateWhenGateOpens('paused', false)).toBe('paused');
    expect(stateWhenGateOpens('waiting', true)).toBe('waiting');
    expect(stateWhenGateOpens('underrun', false)).toBe('playing');
    expect(stateWhenGateOpens('responding', true)).toBe('responding');
  });
});
