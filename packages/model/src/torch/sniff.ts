/**
 * True when the bytes start like a torch.save file: a zip archive (torch >= 1.6), a legacy pickle or a
 * tar (older torch). Only the start is looked at; importTorchModel says what exactly is wrong.
 */
export function looksLikeTorchFile(head: Uint8Array): boolean {
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const pickle = head[0] === 0x80 && head[1] !== undefined && head[1] >= 2 && head[1] <= 5;
  return zip || pickle;
}
