import { type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { WEB_ROOT } from '../dashboard-server.js';
import { resolveModelPath } from '../model-source.js';
import { exportPlaySite } from '../play-site.js';

export interface PlayFlags extends CommonFlags {
  export: string;
  force?: boolean;
}

/** `mt play`'s work, apart from its flag declarations so that tests can call it directly. */
export async function runPlay(flags: PlayFlags, env: CliEnv): Promise<void> {
  const output = outputFor(env, flags);
  const model = await resolveModelPath(undefined);
  const { folder, files } = await exportPlaySite(WEB_ROOT, model, flags.export, flags.force === true);
  output.result({ folder, files, page: 'play.html' }, () => [
    `wrote the playground to ${folder} (${files} files): serve the folder and open play.html`,
  ]);
}
