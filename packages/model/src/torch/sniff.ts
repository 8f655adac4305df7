const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** torch < 1.6: pickle protocol 2, then the LONG1 magic number torch writes first. */
const LEGACY = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46];

/**
 * True when the first 8 bytes are those of a torch.save file: a zip archive (torch >= 1.6) or the
 * legacy format's magic. Stricter than "starts with a pickle opcode": a safetensors header length
 * can begin with 0x80 0x02. importTorchModel then says exactly what is wrong with the file.
 */
export function looksLikeTorchFile(head: Uint8Array): boolean {
  const matches = (magic: number[]) => magic.every((b, i) => head[i] === b);
  return matches(ZIP) || matches(LEGACY);
}
