/**
 * Reads an ONNX model's custom metadata (`metadata_props`), which onnxruntime-node does
 * not expose. FunASR exports keep their front-end settings there (CMVN vectors, LFR sizes,
 * prompt ids). The model file is hundreds of megabytes, so instead of decoding it we walk
 * the top-level protobuf fields with small reads and skip the graph without loading it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import protobuf from 'protobufjs';

/** ModelProto.metadata_props (repeated StringStringEntryProto { key = 1; value = 2; }). */
const METADATA_PROPS_FIELD = 14;
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export class OnnxFileError extends Error {
  override readonly name = 'OnnxFileError';
}

function readVarint(fd: number, position: number, path: string): { value: number; length: number } {
  const bytes = Buffer.alloc(10);
  const got = readSync(fd, bytes, 0, 10, position);
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < got; i++) {
    const byte = bytes[i] as number;
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { value, length: i + 1 };
    multiplier *= 128;
  }
  throw new OnnxFileError(`${path} is not a valid ONNX file (truncated varint at byte ${position})`);
}

function decodeEntry(payload: Uint8Array): [string, string] {
  const reader = protobuf.Reader.create(payload);
  let key = '';
  let value = '';
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) key = reader.string();
    else if (tag >>> 3 === 2) value = reader.string();
    else reader.skipType(tag & 7);
  }
  return [key, value];
}

export function readOnnxMetadata(path: string): Map<string, string> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const metadata = new Map<string, string>();
    let position = 0;
    while (position < size) {
      const tag = readVarint(fd, position, path);
      position += tag.length;
      const field = Math.floor(tag.value / 8);
      const wireType = tag.value % 8;
      if (wireType === WIRE_VARINT) {
        position += readVarint(fd, position, path).length;
      } else if (wireType === WIRE_FIXED64) {
        position += 8;
      } else if (wireType === WIRE_FIXED32) {
        position += 4;
      } else if (wireType === WIRE_LENGTH_DELIMITED) {
        const length = readVarint(fd, position, path);
        position += length.length;
        if (field === METADATA_PROPS_FIELD) {
          const payload = Buffer.alloc(length.value);
          readSync(fd, payload, 0, length.value, position);
          const [key, value] = decodeEntry(payload);
          metadata.set(key, value);
        }
        position += length.value;
      } else {
        throw new OnnxFileError(`${path} is not a valid ONNX file (wire type ${wireType} at byte ${position})`);
      }
    }
    if (position !== size) throw new OnnxFileError(`${path} is truncated (a field runs past the end of the file)`);
    return metadata;
  } finally {
    closeSync(fd);
  }
}
