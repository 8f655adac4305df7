import type { CallResponse } from './call-response.js';
import type { ClockFollower } from './clock-follower.js';
import { type CcMap, type ControlName, type Controls, controlFromCc } from './controls.js';
import type { MidiMessage } from './messages.js';

/** What a MIDI control change asks of the bridge. */
export type CcAction =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'controls'; update: Partial<Controls> };

/** The actions of controller `controller` at `value` under `ccMap` (none when it is not mapped). */
export function ccActions(ccMap: CcMap, controller: number, value: number): CcAction[] {
  const actions: CcAction[] = [];
  for (const [name, cc] of Object.entries(ccMap)) {
    if (cc !== controller) continue;
    if (name === 'pause') actions.push({ kind: value >= 64 ? 'pause' : 'resume' });
    else actions.push({ kind: 'controls', update: { [name]: controlFromCc(name as ControlName, value) } });
  }
  return actions;
}

export interface InputTargets {
  /** Takes MIDI clock and Start/Stop/Continue when following the DAW's transport. */
  follower: ClockFollower | null;
  ccMap: CcMap;
  /** Takes the player's notes in call-response and continue mode. */
  callResponse: CallResponse | null;
  pause(): void;
  resume(): void;
  setControls(update: Partial<Controls>): void;
  /** True while the bridge answers, so that a new note of the player cuts the answer off. */
  answering(): boolean;
}

/**
 * Sends each message of the input port where it belongs, in this order: the clock follower (clock and
 * transport), then mapped control changes, then the player's phrase.
 */
export class InputRouter {
  constructor(private readonly targets: InputTargets) {}

  handle(message: MidiMessage, ms: number): void {
    const t = this.targets;
    if (t.follower?.handle(message, ms)) return;
    if (message.type === 'cc') {
      for (const action of ccActions(t.ccMap, message.controller, message.value)) {
        if (action.kind === 'pause') t.pause();
        else if (action.kind === 'resume') t.resume();
        else t.setControls(action.update);
      }
      return;
    }
    t.callResponse?.handle(message, ms, t.answering());
  }
}
