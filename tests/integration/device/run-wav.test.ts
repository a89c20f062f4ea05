/** `collar run --in x.wav --out y.wav`: the offline path end to end, on real and generated audio. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav, writeWav16 } from '../../../device/audio/wav-file.js';
import { sine, wavBytes, zeroCrossingFrequency } from '../../doubles/wav-bytes.js';
import { ROOT, runCollar } from '../../helpers/run-collar.js';

const dir = mkdtempSync(join(tmpdir(), 'collar-run-'));
const SHARED_CLIP = join(ROOT, '..', 'shared', 'audio', 'zh', 'asr_example.wav');

describe('collar run with WAV files (monitor mode)', () => {
  it.skipIf(!existsSync(SHARED_CLIP))(
    `passes a real Mandarin recording through sample for sample (needs ${SHARED_CLIP})`,
    () => {
      const out = join(dir, 'zh-out.wav');
      const { code, stdout, stderr } = runCollar(['run', '--in', SHARED_CLIP, '--out', out]);
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/dropped 0, ring overruns mic 0 \/ speaker 0 samples/);
      const input = readWav(SHARED_CLIP);
      const output = readWav(out);
      expect(output.sampleRate).toBe(16_000);
      // Same rate in and out: nothing is resampled, so the audio must come back exactly,
      // followed only by the silence that pads the last frame.
      expect(output.frames).toBeGreaterThanOrEqual(input.frames);
      expect(output.frames - input.frames).toBeLessThan(320);
      expect(Array.from(output.samples.subarray(0, input.frames))).toEqual(Array.from(input.samples));
    },
  );

  it('converts a 44.1 kHz stereo file to the pipeline rate and back out at 48 kHz', () => {
    const stereo = new Int16Array(44_100 * 2);
    const tone = sine(500, 44_100, 1);
    for (let i = 0; i < tone.length; i++) {
      stereo[2 * i] = tone[i] as number;
      stereo[2 * i + 1] = tone[i] as number;
    }
    const input = join(dir, 'stereo.wav');
    writeWav16(input, stereo, 44_100, 2);
    const out = join(dir, 'out48.wav');
    const { code, stderr } = runCollar(['run', '--in', input, '--out', out, '--out-rate', '48000']);
    expect(code, stderr).toBe(0);
    const output = readWav(out);
    expect(output.sampleRate).toBe(48_000);
    expect(output.frames / 48_000).toBeCloseTo(1, 1);
    expect(zeroCrossingFrequency(output.samples.subarray(4_800, 43_200), 48_000)).toBeCloseTo(500, -1);
  });

  it.each([
    ['a µ-law file', wavBytes({ audioFormat: 7, bitsPerSample: 8, data: Buffer.alloc(800) }), /not PCM \(µ-law\)/],
    ['a truncated file', wavBytes({ data: Buffer.alloc(640), declaredDataBytes: 64_000 }), /truncated/],
    ['a file that is not a WAV', Buffer.from('ID3\u0003 this is an mp3, honest'), /not a WAV file/],
  ])('refuses %s with the reason and exit code 2, writing nothing', (_label, bytes, reason) => {
    const input = join(dir, `bad-${Math.random().toString(36).slice(2)}.wav`);
    writeFileSync(input, bytes);
    const out = join(dir, `never-${Math.random().toString(36).slice(2)}.wav`);
    const { code, stderr } = runCollar(['run', '--in', input, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(existsSync(out)).toBe(false);
  });
});
