/**
 * Which state the bridge shows, per mode. generate: starting -> playing, with underrun, paused and (when
 * following MIDI clock) waiting in between. call-response and continue: listening -> responding ->
 * listening, a new phrase of the player cutting an answer off. Any state -> stopped, for good.
 * The transitions that depend on more than one fact are decided here; the bridge sets the others directly.
 */
import type { BridgeMode } from './options.js';
import type { GateReason } from './playback-gate.js';
import type { BridgeState } from './status.js';

/** What the state of a running transport depends on. */
export interface PlaybackView {
  /** Why playback is held, or null when nothing holds it. */
  gate: GateReason | null;
  /** call-response or continue: the bridge answers a player. */
  answersPlayer: boolean;
  /** A phrase is being generated and is not done yet. */
  phraseOpen: boolean;
}

/** The state once the generator is ready; `transportStopped`: following a MIDI clock that has not started. */
export function stateAfterStart(mode: BridgeMode, transportStopped: boolean): BridgeState {
  if (mode !== 'generate') return 'listening';
  return transportStopped ? 'waiting' : 'starting';
}

/** The state once the transport runs again (after resume() or the DAW's Start). */
export function runningState(view: PlaybackView): BridgeState {
  if (view.gate) return view.gate === 'underrun' ? 'underrun' : 'starting';
  if (view.answersPlayer) return view.phraseOpen ? 'responding' : 'listening';
  return 'playing';
}

/** The state when held music starts playing; a paused or waiting transport keeps its state. */
export function stateWhenGateOpens(current: BridgeState, answering: boolean): BridgeState {
  if (current === 'paused' || current === 'waiting') return current;
  return answering ? 'responding' : 'playing';
}
