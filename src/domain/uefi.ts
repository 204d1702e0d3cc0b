// The UEFI variable store in AWS's format, as GetInstanceUefiData returns it and RegisterImage's UefiData takes it:
// base64 of "AMZNUEFI", a CRC-32C (Castagnoli) of what follows, version 0 (both little-endian 32-bit), then a zlib
// stream of the variables (a little-endian 64-bit count, then each variable). awslabs/python-uefivars reads and writes
// this format; mini-ec2 runs no firmware, so the store it makes holds no variable.
import { deflateSync } from "node:zlib";
import { Errors } from "./errors.js";

const magic = Buffer.from("AMZNUEFI", "latin1");

const castagnoli = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32C, the checksum the store's header carries. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = castagnoli[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** An empty variable store: what a UEFI instance of an image registered without UefiData reports. */
export function emptyUefiVarStore(): string {
  const body = Buffer.concat([u32(0), deflateSync(Buffer.alloc(8))]); // version 0, then zero variables
  return Buffer.concat([magic, u32(crc32c(body)), body]).toString("base64");
}

/** RegisterImage's UefiData: base64 of a store in AWS's format, its checksum right. */
export function checkUefiData(data: string): void {
  const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(data) ? Buffer.from(data, "base64") : Buffer.alloc(0);
  const valid = bytes.length > 16 && bytes.subarray(0, 8).equals(magic) && bytes.readUInt32LE(8) === crc32c(bytes.subarray(12)) && bytes.readUInt32LE(12) === 0;
  if (!valid)
    throw Errors.invalidParameterValue("Invalid value for UefiData: it must be a base64 UEFI variable store in the AWS format (python-uefivars writes one).");
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value >>> 0);
  return buffer;
}
