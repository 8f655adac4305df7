/**
 * What the playground generates with: the same settings as `mt generate` (and its defaults), so that a
 * piece made here is the piece `mt generate` writes with the same seed and flags. They round-trip through
 * the query string, which makes a link reproduce a piece.
 */
export interface PlaySettings {
  seed: number;
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off. */
  topP: number;
  /** Stop once the generated music lasts this long (mt generate --max-seconds); null = no limit. */
  seconds: number | null;
  /** Most tokens to generate (mt generate --max-tokens). */
  maxTokens: number;
  /** The model may not end a piece before this much music (mt generate --min-seconds). */
  minSeconds: number;
  /** Lowest and highest pitch the model may start a note on (null = the generator's default, a piano). */
  pitchRange: [number, number] | null;
  /** With a primer: keep only what follows it (mt generate --continuation-only). */
  continuationOnly: boolean;
}

/**
 * mt generate's defaults, except a length of 30 s with room for it (4096 tokens), so that a first click
 * gives a piece of about that length.
 */
export const DEFAULT_SETTINGS: Readonly<PlaySettings> = {
  seed: 1,
  temperature: 1,
  topK: 0,
  topP: 1,
  seconds: 30,
  maxTokens: 4096,
  minSeconds: 10,
  pitchRange: null,
  continuationOnly: false,
};

/** One setting's bounds, the same as mt generate's flags. */
interface NumberRule {
  key: 'seed' | 'temperature' | 'topK' | 'topP' | 'maxTokens' | 'minSeconds';
  param: string;
  integer: boolean;
  min: number;
  max: number;
  /** Exclusive lower bound. */
  above?: boolean;
}

export const NUMBER_RULES: readonly NumberRule[] = [
  { key: 'seed', param: 'seed', integer: true, min: 0, max: 2 ** 31 - 1 },
  { key: 'temperature', param: 't', integer: false, min: 0, max: 100, above: true },
  { key: 'topK', param: 'k', integer: true, min: 0, max: 100_000 },
  { key: 'topP', param: 'p', integer: false, min: 0, max: 1, above: true },
  { key: 'maxTokens', param: 'tokens', integer: true, min: 1, max: 100_000 },
  { key: 'minSeconds', param: 'min', integer: false, min: 0, max: 3600 },
];

function numberIn(rule: Pick<NumberRule, 'integer' | 'min' | 'max' | 'above'>, raw: string): number | null {
  if (raw.trim() === '') return null;
  const v = Number(raw);
  if (!Number.isFinite(v) || (rule.integer && !Number.isInteger(v))) return null;
  if (rule.above ? v <= rule.min : v < rule.min) return null;
  return v > rule.max ? null : v;
}

/** Why a query value was ignored, e.g. "t=-1: expected a number > 0 and <= 100". */
export type SettingProblem = string;

/**
 * Settings from a query string: every known parameter that is valid replaces the default; an invalid one
 * is ignored and reported (a hand-edited link still opens, and says what it could not use).
 */
export function settingsFromQuery(query: string): { settings: PlaySettings; problems: SettingProblem[] } {
  const q = new URLSearchParams(query);
  const settings: PlaySettings = { ...DEFAULT_SETTINGS };
  const problems: SettingProblem[] = [];
  for (const rule of NUMBER_RULES) {
    const raw = q.get(rule.param);
    if (raw === null) continue;
    const v = numberIn(rule, raw);
    if (v === null) {
      const low = rule.above ? `> ${rule.min}` : `>= ${rule.min}`;
      problems.push(
        `${rule.param}=${raw}: expected ${rule.integer ? 'an integer' : 'a number'} ${low} and <= ${rule.max}`,
      );
    } else settings[rule.key] = v;
  }
  const seconds = q.get('s');
  if (seconds !== null) {
    if (seconds === 'none') settings.seconds = null;
    else {
      const v = numberIn({ integer: false, min: 0, max: 3600, above: true }, seconds);
      if (v === null) problems.push(`s=${seconds}: expected a number of seconds > 0 and <= 3600, or none`);
      else settings.seconds = v;
    }
  }
  const range = q.get('range');
  if (range !== null) {
    const m = /^(\d{1,3})-(\d{1,3})$/.exec(range);
    const lo = m ? Number(m[1]) : -1;
    const hi = m ? Number(m[2]) : -1;
    if (m && lo <= hi && hi <= 127) settings.pitchRange = [lo, hi];
    else problems.push(`range=${range}: expected LOW-HIGH MIDI pitches, 0 <= LOW <= HIGH <= 127`);
  }
  const co = q.get('co');
  if (co !== null) {
    if (co === '1' || co === '0') settings.continuationOnly = co === '1';
    else problems.push(`co=${co}: expected 1 or 0`);
  }
  return { settings, problems };
}

/** The query string of `settings`: only what differs from the defaults, seed always (it names the piece). */
export function settingsToQuery(settings: PlaySettings): string {
  const q = new URLSearchParams();
  for (const rule of NUMBER_RULES) {
    if (rule.key === 'seed' || settings[rule.key] !== DEFAULT_SETTINGS[rule.key]) {
      q.set(rule.param, String(settings[rule.key]));
    }
  }
  if (settings.seconds !== DEFAULT_SETTINGS.seconds)
    q.set('s', settings.seconds === null ? 'none' : String(settings.seconds));
  if (settings.pitchRange !== null) q.set('range', `${settings.pitchRange[0]}-${settings.pitchRange[1]}`);
  if (settings.continuationOnly) q.set('co', '1');
  return q.toString();
}

/** The `mt generate` flags that make the same piece (shown on the page, and used by the tests). */
export function generateFlags(settings: PlaySettings): string[] {
  const flags = ['--seed', String(settings.seed), '-t', String(settings.temperature)];
  flags.push('-k', String(settings.topK), '-p', String(settings.topP));
  flags.push('--max-tokens', String(settings.maxTokens), '--min-seconds', String(settings.minSeconds));
  if (settings.seconds !== null) flags.push('--max-seconds', String(settings.seconds));
  if (settings.pitchRange !== null)
    flags.push('--pitch-range', `${settings.pitchRange[0]}-${settings.pitchRange[1]}`);
  return flags;
}
