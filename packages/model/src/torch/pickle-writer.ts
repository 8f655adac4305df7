/**
 * The few pickle (protocol 2) opcodes torch.save uses for a checkpoint dict of tensors: strings,
 * numbers, booleans, tuples, dicts, module globals, REDUCE and persistent ids. No npm package writes
 * pickles with persistent ids, which is how torch points a tensor at its storage record.
 */
export class PickleWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly encoder = new TextEncoder();

  private byte(...values: number[]): this {
    this.chunks.push(Uint8Array.from(values));
    return this;
  }

  private u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    this.chunks.push(b);
    return this;
  }

  proto(): this {
    return this.byte(0x80, 2);
  }

  stop(): Uint8Array {
    this.byte(0x2e); // '.'
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  mark(): this {
    return this.byte(0x28); // '('
  }

  string(s: string): this {
    const utf8 = this.encoder.encode(s);
    this.byte(0x58).u32(utf8.length); // 'X' BINUNICODE
    this.chunks.push(utf8);
    return this;
  }

  int(n: number): this {
    if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) {
      throw new RangeError(`pickle writer: ${n} is not a 32-bit integer`);
    }
    const b = new Uint8Array(5);
    b[0] = 0x4a; // 'J' BININT
    new DataView(b.buffer).setInt32(1, n, true);
    this.chunks.push(b);
    return this;
  }

  float(x: number): this {
    const b = new Uint8Array(9);
    b[0] = 0x47; // 'G' BINFLOAT, big-endian
    new DataView(b.buffer).setFloat64(1, x, false);
    this.chunks.push(b);
    return this;
  }

  bool(v: boolean): this {
    return this.byte(v ? 0x88 : 0x89);
  }

  emptyTuple(): this {
    return this.byte(0x29); // ')'
  }

  /** Closes a tuple opened with mark(). */
  tuple(): this {
    return this.byte(0x74); // 't'
  }

  emptyDict(): this {
    return this.byte(0x7d); // '}'
  }

  /** Adds the key/value pairs pushed since mark() to the dict below the mark. */
  setItems(): this {
    return this.byte(0x75); // 'u'
  }

  global(module: string, name: string): this {
    this.byte(0x63); // 'c'
    this.chunks.push(this.encoder.encode(`${module}\n${name}\n`));
    return this;
  }

  /** Calls the callable below the argument tuple on top of the stack. */
  reduce(): this {
    return this.byte(0x52); // 'R'
  }

  /** Replaces the object on top of the stack by persistent_load(it). */
  persistentId(): this {
    return this.byte(0x51); // 'Q' BINPERSID
  }
}
