import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { WEB_ROOT } from '../dashboard-server.js';
import { resolveModelPath } from '../model-source.js';
import { exportPlaySite } from '../play-site.js';

interface PlayFlags extends CommonFlags {
  export: string;
  force?: boolean;
}

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
    const output = outputFor(env, flags);
    const model = await resolveModelPath(undefined);
    const { folder, files } = await exportPlaySite(WEB_ROOT, model, flags.export, flags.force === true);
    output.result({ folder, files, page: 'play.html' }, () => [
      `wrote the playground to ${folder} (${files} files): serve the folder and open play.html`,
    ]);
  });
}
