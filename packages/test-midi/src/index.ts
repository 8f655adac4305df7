export { DRUM_PITCHES, PIANO_PITCHES, pianoAndDrumsMidi } from './band.js';
export { type IntSource, MUTATION_KINDS, type Mutation, type MutationKind, mutateMidi } from './mutate.js';
export { buildSmf, cc, off, on, type RawEvent, tempo } from './smf.js';
export { quantile } from './stats.js';
