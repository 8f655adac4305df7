export { DRUM_PITCHES, PIANO_PITCHES, pianoAndDrumsMidi } from './band.js';
export { buildSmf, cc, off, on, type RawEvent, tempo } from './smf.js';
