import type { BridgeMode, CcMap } from '@music-transformer/live-bridge';
import { InvalidArgumentError } from 'commander';
import type { CommonFlags } from '../command-kit.js';
import type { DashboardFlag } from '../dashboard-option.js';
import type { SamplingFlags } from '../sampling-options.js';

/** `mt live`'s options as commander parses them (defaults filled in). */
export interface LiveFlags extends CommonFlags, SamplingFlags {
  listPorts?: boolean;
  output?: string;
  portName: string;
  input?: string;
  virtualInput?: string | boolean;
  mode: BridgeMode;
  bpm: number;
  followClock?: boolean;
  channel: number;
  offset: number;
  lookahead: number;
  silence: number;
  density: number;
  cc?: CcMap;
  record?: string;
  force?: boolean;
  primer?: string;
  duration?: number;
  maxSeconds?: number;
  maxTokens?: number;
  realtime: boolean;
  status?: boolean;
  dashboard?: DashboardFlag;
  logdir: string;
}

const CC_TARGETS = ['temperature', 'topK', 'topP', 'density', 'pause'] as const;

/** `--cc temperature=21`: collects NAME=CC pairs into a map. */
export function parseCc(raw: string, previous: CcMap = {}): CcMap {
  const match = /^([A-Za-z]+)=(\d{1,3})$/.exec(raw.trim());
  const name = match?.[1] as (typeof CC_TARGETS)[number] | undefined;
  if (!match || !name || !CC_TARGETS.includes(name)) {
    throw new InvalidArgumentError(
      `Expected NAME=CC with NAME one of ${CC_TARGETS.join(', ')}, e.g. temperature=21.`,
    );
  }
  const cc = Number(match[2]);
  if (cc > 127) throw new InvalidArgumentError('CC numbers are 0..127.');
  return { ...previous, [name]: cc };
}
