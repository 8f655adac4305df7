import type { Io } from '../output.js';

/** In-memory stdout/stderr for running `main` in process. */
export function captureIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: {
        write: (s: string) => {
          out += s;
        },
      },
      stderr: {
        write: (s: string) => {
          err += s;
        },
      },
    },
    out: () => out,
    err: () => err,
  };
}
