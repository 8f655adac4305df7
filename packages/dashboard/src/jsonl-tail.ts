import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface TailRead {
  /** Complete lines appended since the previous read (without their newline). */
  lines: string[];
  /** True when the file was replaced or truncated: the caller must drop what it built from it. */
  reset: boolean;
}

const NEWLINE = 0x0a;

/**
 * Follows an append-only JSONL file another process is writing. Only whole lines are returned: a last
 * line without its newline (a write in progress, or a torn write from a crash) is held back until its
 * newline arrives. Bytes, not strings, are buffered so a multi-byte character split across two writes
 * is never decoded in halves.
 */
export class JsonlTail {
  private offset = 0;
  private inode = -1;
  private pending: Buffer = Buffer.alloc(0);

  constructor(readonly path: string) {}

  read(): TailRead {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      // The file vanished (run directory being recreated): start over when it comes back.
      const reset = this.offset > 0 || this.pending.length > 0;
      this.restart(-1);
      return { lines: [], reset };
    }
    try {
      const stat = fstatSync(fd);
      let reset = false;
      if ((this.inode !== -1 && stat.ino !== this.inode) || stat.size < this.offset) {
        reset = this.offset > 0 || this.pending.length > 0;
        this.restart(stat.ino);
      }
      this.inode = stat.ino;
      if (stat.size === this.offset) return { lines: [], reset };
      const fresh = Buffer.alloc(stat.size - this.offset);
      let got = 0;
      while (got < fresh.length) {
        const n = readSync(fd, fresh, got, fresh.length - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      this.offset += got;
      const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, fresh.subarray(0, got)]) : fresh;
      const end = bytes.lastIndexOf(NEWLINE);
      if (end === -1) {
        this.pending = Buffer.from(bytes);
        return { lines: [], reset };
      }
      this.pending = Buffer.from(bytes.subarray(end + 1));
      const lines = bytes.toString('utf8', 0, end).split('\n');
      return { lines, reset };
    } finally {
      closeSync(fd);
    }
  }

  private restart(inode: number): void {
    this.offset = 0;
    this.inode = inode;
    this.pending = Buffer.alloc(0);
  }
}
