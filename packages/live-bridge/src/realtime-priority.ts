import { spawnSync } from 'node:child_process';
import { isMainThread } from 'node:worker_threads';

export interface PriorityResult {
  ok: boolean;
  /** What was done, or why not. */
  detail: string;
}

/**
 * Best effort: moves the process's main thread (the one that schedules and sends) to the SCHED_FIFO
 * real-time class on Linux, as JACK and DAWs do for their audio threads. On a busy machine the normal
 * scheduler can keep a ready thread waiting for tens of ms, whatever its nice value (measured here:
 * timer p99 5-13 ms late under load 9 on 2 cores; with SCHED_FIFO 0.1 ms). Only the main thread moves
 * (no `-a`), and with reset-on-fork (`-R`) threads created later (the generation worker, libuv's pool)
 * start at normal priority instead of inheriting it; the kernel's RT throttling still bounds the
 * scheduler's short spins. Needs CAP_SYS_NICE or an rtprio limit (/etc/security/limits.conf);
 * without them this returns ok: false and the bridge runs at normal priority.
 */
export function requestRealtimePriority(priority = 20): PriorityResult {
  if (process.platform !== 'linux') return { ok: false, detail: `not supported on ${process.platform}` };
  if (!isMainThread) return { ok: false, detail: 'only the main thread can be moved (its id is the pid)' };
  if (!Number.isInteger(priority) || priority < 1 || priority > 99) {
    return { ok: false, detail: `priority must be an integer 1..99, got ${priority}` };
  }
  return chrt(process.pid, priority, 'main thread');
}

/**
 * Moves one thread (by its kernel thread id) to SCHED_FIFO `priority`, leaving every other thread of
 * the process where it is. The sending thread calls it for itself. Same privileges as above.
 */
export function requestThreadRealtime(tid: number, priority = 20): PriorityResult {
  if (process.platform !== 'linux') return { ok: false, detail: `not supported on ${process.platform}` };
  if (!Number.isInteger(tid) || tid <= 0) return { ok: false, detail: `no thread id (${tid})` };
  return chrt(tid, priority, 'sending thread');
}

function chrt(id: number, priority: number, what: string): PriorityResult {
  const r = spawnSync('chrt', ['-f', '-R', '-p', String(priority), String(id)], { encoding: 'utf8' });
  if (r.error) return { ok: false, detail: `chrt (util-linux) is not available: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, detail: `chrt refused: ${(r.stderr || r.stdout).trim()}` };
  return { ok: true, detail: `${what} now SCHED_FIFO priority ${priority}` };
}
