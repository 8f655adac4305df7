/**
 * URL of the default token source module (a GenerationSession of @music-transformer/model), for
 * `WorkerInit.sourceModule`. Kept apart from that module so importing the bridge does not load the model.
 */
export const MODEL_SOURCE_URL: string = new URL('./model-source.js', import.meta.url).href;
