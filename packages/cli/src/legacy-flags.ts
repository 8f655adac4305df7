/**
 * The original project (argparse) has multi-letter short flags such as `-bs` or `-tm`. Commander only
 * knows one-letter short flags and would read `-tm 120` as `-t m`, so before parsing we rewrite each
 * legacy flag of the chosen command into its long form (old long names such as `--midi-prompt` too).
 * Only whole tokens (`-bs`, `-bs=32`) are rewritten, and nothing after a bare `--`.
 */
export type LegacyFlagTable = Readonly<Record<string, string>>;

export function rewriteLegacyFlags(args: readonly string[], table: LegacyFlagTable): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of args) {
    if (passthrough || !arg.startsWith('-') || arg === '--') {
      if (arg === '--') passthrough = true;
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const long = table[flag];
    if (long === undefined) out.push(arg);
    else out.push(eq === -1 ? long : `${long}${arg.slice(eq)}`);
  }
  return out;
}

/**
 * Applies the table of the subcommand named by the first non-option argument. Global options may
 * come before the subcommand name; everything after it is rewritten.
 */
export function rewriteForCommand(
  args: readonly string[],
  tables: Readonly<Record<string, LegacyFlagTable>>,
): string[] {
  const index = args.findIndex((a) => !a.startsWith('-'));
  if (index === -1) return [...args];
  const table = tables[args[index] as string];
  if (table === undefined) return [...args];
  return [...args.slice(0, index + 1), ...rewriteLegacyFlags(args.slice(index + 1), table)];
}
