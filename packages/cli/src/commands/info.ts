import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { addVocabOptions } from '../vocab-options.js';
import { type InfoFlags, runInfo } from './run-info.js';

/** `mt info <file>`: what a file is and holds. */
export function registerInfo(program: Command, env: CliEnv): void {
  const command = program
    .command('info')
    .description(
      'show what a file is and holds: MIDI file, dataset, checkpoint, model, PyTorch .pt or run directory',
    )
    .argument('<file>', "file or run directory to describe ('default': the bundled model)");
  addVocabOptions(command);
  addCommonOptions(command);
  addExamples(command, [
    'mt info song.mid',
    'mt info data/piano.safetensors',
    'mt info runs/piano/checkpoints/step-500.safetensors --json',
    'mt info runs/piano',
    'mt info default',
  ]);
  command.action(async (file: string, flags: InfoFlags) => {
    await runInfo(file, flags, env);
  });
}
