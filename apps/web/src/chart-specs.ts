import type { ChartSpec } from './chart-data.js';

/** The training charts, in page order. Fields are the metrics.jsonl names (docs/architecture.md). */
export const CHARTS: ChartSpec[] = [
  {
    id: 'loss',
    title: 'Loss (nats/token)',
    lines: [
      { label: 'loss', source: 'train', field: 'loss', smoothable: true },
      { label: 'val loss', source: 'validation', field: 'val_loss' },
    ],
  },
  {
    id: 'accuracy',
    title: 'Accuracy',
    lines: [
      { label: 'accuracy', source: 'train', field: 'accuracy', smoothable: true },
      { label: 'val accuracy', source: 'validation', field: 'val_accuracy' },
    ],
  },
  { id: 'lr', title: 'Learning rate', lines: [{ label: 'lr', source: 'train', field: 'lr' }] },
  {
    id: 'throughput',
    title: 'Tokens/s',
    lines: [{ label: 'tokens/s', source: 'train', field: 'tokens_per_s', smoothable: true }],
  },
  {
    id: 'grad-norm',
    title: 'Gradient norm',
    lines: [{ label: 'grad norm', source: 'train', field: 'grad_norm', smoothable: true }],
  },
  {
    id: 'cpu',
    title: 'Training process CPU %',
    forceTime: true,
    lines: [{ label: 'cpu %', source: 'system', field: 'cpu_percent' }],
  },
  {
    id: 'memory',
    title: 'Training process memory (MiB)',
    forceTime: true,
    lines: [{ label: 'rss MiB', source: 'system', field: 'rss_bytes', scale: 1 / 2 ** 20 }],
  },
];
