import { describe, expect, it } from 'vitest';
import { priorityLine } from './session.js';

describe('the priority line printed at start', () => {
  it('says what the sending thread got, and how to get real-time priority when it was refused', () => {
    expect(priorityLine({ ok: true, detail: 'sending thread now SCHED_FIFO priority 20' })).toBe(
      'live: sending thread now SCHED_FIFO priority 20',
    );
    const refused = priorityLine({ ok: false, detail: 'chrt refused: Operation not permitted' });
    expect(refused).toContain('normal priority (chrt refused: Operation not permitted)');
    expect(refused).toContain("'audio' group");
    expect(refused).toContain('/etc/security/limits.conf');
    expect(refused).not.toContain('\n');
    expect(priorityLine(null)).toBe(
      'live: normal priority (real-time not requested): timing may slip on a busy machine',
    );
  });
});
