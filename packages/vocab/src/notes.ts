/** A sounding note in real time. */
export interface Note {
  /** MIDI pitch 0..127. */
  pitch: number;
  /** MIDI velocity 1..127. */
  velocity: number;
  /** Onset in seconds from the start of the piece. */
  start: number;
  /** Release in seconds; always > start. */
  end: number;
}

/** A note read from a file, with where it came from. */
export interface SourceNote extends Note {
  /** 0-based MIDI channel (General MIDI drums = 9). */
  channel: number;
  track: number;
}

/** A note on the vocab's time grid: onset and release in whole time steps. */
export interface StepNote {
  pitch: number;
  velocity: number;
  startStep: number;
  endStep: number;
}
