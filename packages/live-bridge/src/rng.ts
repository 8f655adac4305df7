/**
 * The slice of `@music-transformer/vocab`'s `Rng` the bridge uses (density thinning). Library code
 * never calls Math.random(): the caller passes an Rng, e.g. `createRng(seed)` from the vocab package.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}
