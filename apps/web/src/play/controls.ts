import { h } from '../dom.js';
import { DEFAULT_SETTINGS, type PlaySettings } from './settings.js';

/** The settings form: one labelled input per setting, read back as PlaySettings. */
export interface Controls {
  element: HTMLElement;
  read(): PlaySettings;
  write(settings: PlaySettings): void;
  /** Limits the instrument range to what the model's vocabulary can play. */
  setPitchLimits(min: number, max: number): void;
  /** Offers the instrument range only where the generator can apply it. */
  setPitchRangeAvailable(available: boolean, why: string): void;
}

function numberInput(id: string, step: string, min: string, max: string): HTMLInputElement {
  return h('input', { id, type: 'number', step, min, max, required: true });
}

function field(label: string, input: HTMLElement, hint: string): HTMLElement {
  const el = h('label', { className: 'play-field', title: hint }, [h('span', {}, [label]), input]);
  return el;
}

export function createControls(): Controls {
  const seed = numberInput('seed', '1', '0', String(2 ** 31 - 1));
  const temperature = numberInput('temperature', '0.05', '0.05', '100');
  const topK = numberInput('top-k', '1', '0', '100000');
  const topP = numberInput('top-p', '0.01', '0.01', '1');
  const seconds = numberInput('seconds', '1', '1', '3600');
  const maxTokens = numberInput('max-tokens', '1', '1', '100000');
  const minSeconds = numberInput('min-seconds', '1', '0', '3600');
  const rangeOn = h('input', { id: 'range-on', type: 'checkbox' });
  const low = numberInput('range-low', '1', '0', '127');
  const high = numberInput('range-high', '1', '0', '127');
  const continuationOnly = h('input', { id: 'continuation-only', type: 'checkbox' });
  const reseed = h('button', { type: 'button', className: 'play-small', title: 'a new random seed' }, [
    'dice',
  ]);
  reseed.dataset.testid = 'reseed';
  reseed.addEventListener('click', () => {
    seed.value = String(1 + Math.floor(Math.random() * (2 ** 31 - 2)));
  });
  const syncRange = () => {
    low.disabled = !rangeOn.checked;
    high.disabled = !rangeOn.checked;
  };
  rangeOn.addEventListener('change', syncRange);

  const element = h('div', { className: 'play-controls' }, [
    field(
      'seed',
      h('span', { className: 'play-inline' }, [seed, reseed]),
      'the same seed and settings give the same piece',
    ),
    field('temperature', temperature, 'the logits are divided by it: lower = safer, higher = wilder'),
    field('top-k', topK, 'sample among the k most likely tokens only (0 = off)'),
    field(
      'top-p',
      topP,
      'nucleus sampling: the smallest set of tokens with this total probability (1 = off)',
    ),
    field('length (s)', seconds, 'stop once the music lasts this many seconds'),
    field('max tokens', maxTokens, 'stop after this many tokens at the latest'),
    field('min length (s)', minSeconds, 'the model may not end the piece before this much music'),
    field(
      'instrument range',
      h('span', { className: 'play-inline' }, [rangeOn, low, h('span', {}, ['to']), high]),
      'lowest and highest MIDI pitch the model may start a note on',
    ),
    field(
      'continuation only',
      continuationOnly,
      'with a primer: the file holds only what follows the primer',
    ),
  ]);

  const write = (s: PlaySettings) => {
    seed.value = String(s.seed);
    temperature.value = String(s.temperature);
    topK.value = String(s.topK);
    topP.value = String(s.topP);
    seconds.value = s.seconds === null ? '' : String(s.seconds);
    maxTokens.value = String(s.maxTokens);
    minSeconds.value = String(s.minSeconds);
    rangeOn.checked = s.pitchRange !== null;
    low.value = String(s.pitchRange?.[0] ?? 21);
    high.value = String(s.pitchRange?.[1] ?? 108);
    continuationOnly.checked = s.continuationOnly;
    syncRange();
  };

  const num = (input: HTMLInputElement, fallback: number) => {
    const v = input.valueAsNumber;
    return Number.isFinite(v) ? v : fallback;
  };
  const read = (): PlaySettings => {
    const lo = num(low, 0);
    const hi = num(high, 127);
    return {
      seed: Math.trunc(num(seed, DEFAULT_SETTINGS.seed)),
      temperature: num(temperature, DEFAULT_SETTINGS.temperature),
      topK: Math.trunc(num(topK, DEFAULT_SETTINGS.topK)),
      topP: num(topP, DEFAULT_SETTINGS.topP),
      seconds: seconds.value.trim() === '' ? null : num(seconds, 30),
      maxTokens: Math.trunc(num(maxTokens, DEFAULT_SETTINGS.maxTokens)),
      minSeconds: num(minSeconds, DEFAULT_SETTINGS.minSeconds),
      pitchRange: rangeOn.checked ? [Math.min(lo, hi), Math.max(lo, hi)] : null,
      continuationOnly: continuationOnly.checked,
    };
  };

  return {
    element,
    read,
    write,
    setPitchRangeAvailable(available, why) {
      rangeOn.disabled = !available;
      if (!available) rangeOn.checked = false;
      rangeOn.title = why;
      syncRange();
    },
    setPitchLimits(min, max) {
      for (const input of [low, high]) {
        input.min = String(min);
        input.max = String(max);
      }
    },
  };
}
