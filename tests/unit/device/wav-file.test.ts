import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav, WavFormatError, writeWav16 } from '../../../device/audio/wav-file.js';
import { sine, wavBytes } from '../../doubles/wav-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'collar-wav-'));
function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readWav / writeWav16', () => {
  it('round-trips 16-bit PCM, scaled to [-1, 1]', () => {
    const path = join(dir, 'tone.wav');
    const tone = sine(440, 16_000, 0.5);
    writeWav16(path, tone, 16_000);
    const audio = readWav(path);
    expect(audio).toMatchObject({ sampleRate: 16_000, channels: 1, bitDepth: '16', frames: tone.length });
    for (const i of [0, 17, 999, tone.length - 1]) expect(audio.samples[i]).toBeCloseTo((tone[i] as number) / 32768, 4);
  });

  it('reads stereo 24-bit and 32-bit float', () => {
    const pcm24 = Buffer.alloc(6 * 4);
    pcm24.writeIntLE(4_194_304, 0, 3); // +0.5 left
    pcm24.writeIntLE(-4_194_304, 3, 3); // -0.5 right
    const stereo = readWav(file('s24.wav', wavBytes({ channels: 2, bitsPerSample: 24, data: pcm24 })));
    expect(stereo).toMatchObject({ channels: 2, bitDepth: '24', frames: 4 });
    expect(stereo.samples[0]).toBeCloseTo(0.5, 4);
    expect(stereo.samples[1]).toBeCloseTo(-0.5, 4);
    const float = Buffer.alloc(8);
    float.writeFloatLE(0.25, 0);
    float.writeFloatLE(-1, 4);
    const f32 = readWav(file('f32.wav', wavBytes({ audioFormat: 3, bitsPerSample: 32, data: float })));
    expect(Array.from(f32.samples)).toEqual([0.25, -1]);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.wav'), /cannot read the file \(ENOENT\)/],
    ['a text file', () => file('text.wav', Buffer.from('hello, this is not audio at all')), /not a WAV file/],
    [
      'A-law',
      () => file('alaw.wav', wavBytes({ audioFormat: 6, bitsPerSample: 8, data: Buffer.alloc(100) })),
      /not PCM \(A-law\).*sox/,
    ],
    [
      'MP3 in WAV',
      () => file('mp3.wav', wavBytes({ audioFormat: 85, bitsPerSample: 16, data: Buffer.alloc(100) })),
      /not PCM \(MPEG Layer 3\)/,
    ],
    [
      '12-bit PCM',
      () => file('b12.wav', wavBytes({ bitsPerSample: 12, data: Buffer.alloc(90) })),
      /unsupported sample format \(12-bit\)/,
    ],
    [
      'a truncated data chunk',
      () => file('cut.wav', wavBytes({ data: Buffer.alloc(1000), declaredDataBytes: 32_000 })),
      /truncated \(the header promises 32000 bytes of audio, the file holds 1000\)/,
    ],
    [
      'a half sample at the end',
      () => file('odd.wav', wavBytes({ data: Buffer.alloc(1001), declaredDataBytes: 1001 })),
      /truncated/,
    ],
  ])('refuses %s, saying why', (_label, makePath, reason) => {
    const path = makePath();
    expect(() => readWav(path)).toThrow(WavFormatError);
    expect(() => readWav(path)).toThrow(reason);
  });

  it('writes atomically: a failed write leaves no file and no partial file', () => {
    const target = join(dir, 'missing-folder', 'out.wav');
    expect(() => writeWav16(target, new Int16Array(10), 16_000)).toThrow(/cannot write the WAV file \(ENOENT\)/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).some((name) => name.endsWith('.partial'))).toBe(false);
  });
});
