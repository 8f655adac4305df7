import { register } from 'node:module';

register('./refuse-hook.mjs', import.meta.url);
