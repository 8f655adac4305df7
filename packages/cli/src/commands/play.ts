import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { type PlayFlags, runPlay } from './run-play.js';

/** `mt play --export <dir>`: writes the browser playground, with the default model, as a static site. */
export function registerPlay(program: Command, env: CliEnv): void {
  const command = program
    .command('play')
    .description(
      'write the browser playground (generation in the page, no server code) as a static site; `mt dashboard` also serves it at /play',
    )
    .requiredOption('--export <dir>', 'folder to write the site into (serve it with any static file host)')
    .option('-f, --force', 'write into a folder that is not empty');
  addCommonOptions(command);
  addExamples(command, ['mt play --export site/   # then open site/play.html through any web server']);
  command.action(async (flags: PlayFlags) => {
    await runPlay(flags, env);
  });
}
