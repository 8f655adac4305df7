import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';

/**
 * File checks done before any library work, so a typo fails in milliseconds with a message naming
 * the path rather than deep inside a training run.
 */
export async function requireFile(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new CliError('NOT_FOUND', `${what} not found: ${path}`);
  if (!info.isFile()) throw new CliError('BAD_INPUT', `${what} is not a file: ${path}`);
}

export async function requireDir(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new CliError('NOT_FOUND', `${what} not found: ${path}`);
  if (!info.isDirectory()) throw new CliError('BAD_INPUT', `${what} is not a folder: ${path}`);
}

export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() === true;
}

export async function readInput(path: string, what: string): Promise<Uint8Array> {
  await requireFile(path, what);
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new CliError('FAILED', `cannot read ${what} ${path}: ${(cause as Error).message}`, { cause });
  }
}

const MIDI_MAGIC = 'MThd';

/** Reads a file and checks the 'MThd' header, so a WAV or a text file is named as "not a MIDI file". */
export async function readMidi(path: string, what = 'MIDI file'): Promise<Uint8Array> {
  const bytes = await readInput(path, what);
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (head !== MIDI_MAGIC) {
    throw new CliError('BAD_INPUT', `not a MIDI file: ${path} (it does not start with 'MThd')`);
  }
  return bytes;
}

export interface DestinationOptions {
  /** Overwrite an existing file. */
  force: boolean;
  /** Words for messages: "output file", "dataset", ... */
  what: string;
}

/**
 * Checks that `path` may be written: refuses an existing file without --force and a folder always,
 * creates missing parent folders, and checks the folder is writable. Returns the absolute path.
 */
export async function prepareDestination(path: string, options: DestinationOptions): Promise<string> {
  const target = resolve(path);
  const info = await stat(target).catch(() => null);
  if (info?.isDirectory())
    throw new CliError('BAD_INPUT', `${options.what} is a folder, expected a file: ${path}`);
  if (info !== null && !options.force) {
    throw new CliError('EXISTS', `${options.what} already exists: ${path} (pass --force to overwrite it)`);
  }
  const parent = dirname(target);
  try {
    await mkdir(parent, { recursive: true });
    await access(parent, constants.W_OK);
  } catch (cause) {
    throw new CliError(
      'UNWRITABLE',
      `cannot write ${options.what} ${path}: folder ${parent} is not writable`,
      {
        cause,
      },
    );
  }
  return target;
}

/**
 * The hidden temporary sibling of `path` an atomic write goes through: `.<name>.<pid>.tmp`, the trainer's
 * convention (`tempPathFor`), so its `removeStaleTemps` also sweeps what a killed `mt` left.
 */
export function hiddenTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeOutput(path: string, bytes: Uint8Array | string, what: string): Promise<void> {
  const temp = hiddenTempPath(path);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    throw new CliError('UNWRITABLE', `cannot write ${what} ${path}: ${(cause as Error).message}`, { cause });
  }
}
