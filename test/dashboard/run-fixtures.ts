import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSmf, off, on } from '@music-transformer/test-midi';

/**
 * Writers of run directories that follow docs/architecture.md ("Run directory") byte for byte, for the
 * tests that must control exactly what the dashboard reads (protocol, traversal, benchmark inputs).
 */
export function writeConfig(dir: string, name: string): void {
  mkdirSync(join(dir, 'samples'), { recursive: true });
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    `${JSON.stringify(
      {
        schema: 1,
        name,
        created: new Date().toISOString(),
        hparams: { d_model: 32, num_layers: 1, num_heads: 2, d_ff: 64, max_rel_dist: 16, vocab_size: 416 },
        training: { batch_size: 2, seq_len: 32, lr: 0.001, steps: 100 },
        dataset: { path: 'dataset.safetensors', train_rows: 12, validation_rows: 2, seq_len: 32 },
      },
      null,
      2,
    )}\n`,
  );
}

export function trainRecord(step: number, time = new Date()): string {
  const loss = 5 * Math.exp(-step / 40) + 0.8 + 0.05 * Math.sin(step);
  return JSON.stringify({
    v: 1,
    type: 'train',
    time: time.toISOString(),
    step,
    epoch: Math.floor(step / 20),
    loss,
    accuracy: 1 - loss / 6,
    perplexity: Math.exp(loss),
    lr: 1e-3 * Math.min(1, step / 10),
    grad_norm: 1 + 1 / (step + 1),
    tokens_per_s: 900 + (step % 7) * 10,
    elapsed_s: step * 0.3,
    eta_s: Math.max(0, (100 - step) * 0.3),
  });
}

export function record(type: string, fields: Record<string, unknown>, time = new Date()): string {
  return JSON.stringify({ v: 1, type, time: time.toISOString(), ...fields });
}

export function appendLines(dir: string, lines: readonly string[]): void {
  appendFileSync(join(dir, 'metrics.jsonl'), lines.map((l) => `${l}\n`).join(''));
}

/** A format-0 Standard MIDI File with the given notes (ticks at 480 per quarter, 120 bpm). */
export function midiFile(notes: readonly { pitch: number; start: number; length: number }[]): Uint8Array {
  const events = notes.flatMap((n) => [on(n.start, n.pitch, 90), off(n.start + n.length, n.pitch)]);
  // At equal ticks a note-off (0x80) goes before a note-on (0x90), so a repeated pitch is not cut short.
  events.sort((a, b) => a.tick - b.tick || a.bytes[0]! - b.bytes[0]!);
  return buildSmf([events]);
}

/** A finished run with train, validation, checkpoint, system and sample records and one sample file. */
export function writeFinishedRun(logdir: string, name: string, steps: number, pid: number): string {
  const dir = join(logdir, name);
  writeConfig(dir, name);
  const start = Date.now() - steps * 1000;
  const at = (i: number) => new Date(start + i * 1000);
  const lines = [record('status', { status: 'running', pid }, at(0))];
  for (let s = 1; s <= steps; s++) {
    lines.push(trainRecord(s, at(s)));
    if (s % 5 === 0) {
      lines.push(
        record(
          'validation',
          {
            step: s,
            epoch: Math.floor(s / 20),
            val_loss: 5 * Math.exp(-s / 40) + 1,
            val_accuracy: 0.3,
            val_perplexity: 9,
          },
          at(s),
        ),
      );
      lines.push(
        record('system', { cpu_percent: 95 + (s % 5), rss_bytes: 600 * 2 ** 20 + s * 2 ** 16 }, at(s)),
      );
    }
    if (s % 10 === 0) {
      lines.push(
        record(
          'checkpoint',
          {
            step: s,
            epoch: Math.floor(s / 20),
            path: `checkpoints/step-${s}.safetensors`,
            best: s === steps,
          },
          at(s),
        ),
      );
    }
  }
  const notes = Array.from({ length: 24 }, (_, i) => ({
    pitch: 60 + ((i * 5) % 17),
    start: i * 240,
    length: 360,
  }));
  writeFileSync(join(dir, 'samples', `step-${steps}.mid`), midiFile(notes));
  lines.push(record('sample', { step: steps, path: `samples/step-${steps}.mid` }, at(steps)));
  lines.push(record('status', { status: 'finished', pid }, at(steps)));
  appendLines(dir, lines);
  return dir;
}

export function countTrainRecords(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (line.includes('"type":"train"')) n++;
  return n;
}
