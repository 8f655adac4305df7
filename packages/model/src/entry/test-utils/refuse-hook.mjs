// A module resolve hook (node:module register) that refuses every `@tensorflow/*` module and, with
// MT_FORBID_NODE=1, every Node built-in: an import that reaches one fails with 'refused ...'.
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (specifier.startsWith('@tensorflow/') || /[\\/]@tensorflow[\\/]/.test(result.url)) {
    throw new Error(`refused ${specifier}`);
  }
  if (process.env.MT_FORBID_NODE === '1' && result.url.startsWith('node:')) {
    throw new Error(`refused the Node built-in ${specifier}`);
  }
  return result;
}
