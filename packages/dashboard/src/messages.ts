import type { BridgeState } from '@music-transformer/live-bridge';
import { z } from 'zod';
import type { ClientMessage, LiveEvent } from './protocol.js';

/**
 * Schemas for everything the server receives (ws messages, in-process live events). A message that fails
 * is answered with an `error` and dropped, never allowed to reach the server's state. `satisfies` ties
 * each schema to the protocol type the browser uses (live events: the live bridge's own types).
 */

/** A run is a direct child folder of the logdir: no separators, no dot names, bounded length. */
export const RunNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !/[/\\\0]/.test(s) && s !== '.' && s !== '..', 'must be a plain folder name');

const finite = z.number().finite();

/** The bridge's states as a runtime list, for the schema; the check below fails to compile if one is missing. */
const BRIDGE_STATES = [
  'starting',
  'playing',
  'underrun',
  'paused',
  'waiting',
  'listening',
  'responding',
  'stopped',
] as const satisfies readonly BridgeState[];
type UnlistedState = Exclude<BridgeState, (typeof BRIDGE_STATES)[number]>;
const everyStateListed: [UnlistedState] extends [never] ? true : UnlistedState = true;
void everyStateListed;

export const LiveEventSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('note'),
      pitch: z.number().int().min(0).max(127),
      velocity: z.number().int().min(0).max(127),
      on: z.boolean(),
      time: finite,
      channel: z.number().int().min(0).max(15).optional(),
      lateMs: finite.min(0).optional(),
    })
    .strip(),
  z.object({ kind: z.literal('buffer'), seconds: finite.min(0) }).strip(),
  z.object({ kind: z.literal('underrun'), lateMs: finite.min(0), time: finite.optional() }).strip(),
  z
    .object({
      kind: z.literal('rate'),
      tokensPerSecond: finite.min(0),
      realTimeFactor: finite.min(0).optional(),
    })
    .strip(),
  z.object({ kind: z.literal('state'), state: z.enum(BRIDGE_STATES) }).strip(),
]) satisfies z.ZodType<LiveEvent>;

export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), runs: z.array(RunNameSchema).max(64) }).strict(),
  z.object({ type: z.literal('watch-runs') }).strict(),
  z.object({ type: z.literal('ping'), id: z.number().int().optional() }).strict(),
  z.object({ type: z.literal('live'), event: LiveEventSchema }).strict(),
]) satisfies z.ZodType<ClientMessage>;
