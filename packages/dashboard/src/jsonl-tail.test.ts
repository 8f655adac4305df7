import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonlTail } from './jsonl-tail.js';

describe('JsonlTail', () => {
  const dirs: string[] = [];
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-tail-'));
    dirs.push(dir);
    return join(dir, 'metrics.jsonl');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('returns nothing for a missing file and picks the file up once it exists', () => {
    const path = file();
    const tail = new JsonlTail(path);
    expect(tail.read()).toEqual({ lines: [], reset: false });
    writeFileSync(path, '{"a":1}\n');
    expect(tail.read()).toEqual({ lines: ['{"a":1}'], reset: false });
    expect(tail.read().lines).toEqual([]);
  });

  it('holds back a torn last line until its newline arrives', () => {
    const path = file();
    writeFileSync(path, '{"a":1}\n{"b":');
    const tail = new JsonlTail(path);
    expect(tail.read().lines).toEqual(['{"a":1}']);
    appendFileSync(path, '2}\n');
    expect(tail.read().lines).toEqual(['{"b":2}']);
  });

  it('does not split a multi-byte character written in two parts', () => {
    const path = file();
    const bytes = Buffer.from('{"m":"é"}\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte é
    writeFileSync(path, bytes.subarray(0, cut));
    const tail = new JsonlTail(path);
    expect(tail.read().lines).toEqual([]);
    appendFileSync(path, bytes.subarray(cut));
    expect(tail.read().lines).toEqual(['{"m":"é"}']);
  });

  it('reports a reset when the file is truncated or replaced', () => {
    const path = file();
    writeFileSync(path, '{"a":1}\n{"a":2}\n');
    const tail = new JsonlTail(path);
    expect(tail.read().lines).toHaveLength(2);
    writeFileSync(path, '{"a":3}\n');
    expect(tail.read()).toEqual({ lines: ['{"a":3}'], reset: true });
    rmSync(path);
    expect(tail.read()).toEqual({ lines: [], reset: true });
  });
});
