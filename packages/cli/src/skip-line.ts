/** One line for a file a batch job skipped. The reader's message often starts with the file name already; it is said once. */
export function skipLine(skipped: { path: string; reason: string }): string {
  const { path, reason } = skipped;
  return `skipped ${path}: ${reason.startsWith(`${path}: `) ? reason.slice(path.length + 2) : reason}`;
}
