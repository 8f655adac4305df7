export interface FuzzResult {
  mode: 'loopback' | 'token';
  seed: number;
  httpCases: number;
  wsCases: number;
  crashes: number;
  /** How many crashes each error line caused. */
  crashErrors: Record<string, number>;
  crashed: { code: number | null; signal: string | null; kind: string; index: number; stderr: string } | null;
  pageServed: boolean;
  wsHealthy: boolean;
  seconds: number;
  rssMB: number | null;
  statuses: Record<string, number>;
  wsOutcomes: Record<string, number>;
}

export function fuzzMode(options: {
  mode: 'loopback' | 'token';
  seed: number;
  httpCases: number;
  wsCases: number;
  concurrency?: number;
  /** file: URL of another build's index.js (before/after comparisons). */
  serverDist?: string;
  /** Start a dead server again and go on, one case at a time; `crashes` then counts fatal cases. */
  restart?: boolean;
}): Promise<FuzzResult>;
