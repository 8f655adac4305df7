import { extname } from 'node:path';

/** The original's rule: `.midi` becomes `.mid`, and `.mid` is appended when missing. */
export function midiOutputPath(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === '.mid') return path;
  if (ext === '.midi') return `${path.slice(0, -ext.length)}.mid`;
  return `${path}.mid`;
}

/** `--count N` writes out-1.mid ... out-N.mid; a single file keeps the name as given. */
export function numberedPaths(path: string, count: number): string[] {
  const base = midiOutputPath(path);
  if (count === 1) return [base];
  const stem = base.slice(0, -'.mid'.length);
  return Array.from({ length: count }, (_, i) => `${stem}-${i + 1}.mid`);
}
