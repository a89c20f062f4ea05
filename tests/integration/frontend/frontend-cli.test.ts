/** `collar denoise` and `collar vad` as a tester runs them, on real recordings, and their refusals. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { resampleSignal } from '../../../device/audio/read-pipeline-wav.js';
import { floatToInt16 } from '../../../device/audio/sample-convert.js';
import { readWav, writeWav16 } from '../../../device/audio/wav-file.js';
import { siSdrDb } from '../../../pipeline/metrics/si-sdr.js';
import { runCollar } from '../../helpers/run-collar.js';

const NOISY = join(SHARED_PATHS.noiseDir, '0072_noisy.wav');
const CLEAN = join(SHARED_PATHS.noiseDir, '0072_clean.wav');
const CLIP = join(SHARED_PATHS.mandarinDir, 'asr_example.wav');
const missing = firstMissing([NOISY, CLEAN, CLIP, SHARED_PATHS.gtcrnModel]);
if (missing) console.warn(`skipping denoise/vad CLI tests: ${missing} is missing (../shared not present)`);

const work = mkdtempSync(join(tmpdir(), 'collar-frontend-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const mirrorEnv = { COLLAR_MODEL_CACHE: join(work, 'cache'), COLLAR_MODEL_MIRROR: SHARED_PATHS.modelsDir };
const emptyEnv = { COLLAR_MODEL_CACHE: join(work, 'empty-cache'), COLLAR_MODEL_MIRROR: '' };

describe.skipIf(missing !== undefined)('collar denoise / collar vad', () => {
  it('denoise --engine gtcrn writes an aligned 16 kHz file that is closer to the clean reference', () => {
    expect(runCollar(['models', 'fetch', 'gtcrn'], mirrorEnv).code).toBe(0);
    const out = join(work, 'gtcrn.wav');
    const result = runCollar(['denoise', '--in', NOISY, '--out', out, '--engine', 'gtcrn'], mirrorEnv);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/denoised 5\.00 s with gtcrn .*real-time factor/);
    const written = readWav(out);
    const clean = readWav(CLEAN).samples;
    expect([written.sampleRate, written.channels, written.frames]).toEqual([16_000, 1, clean.length]);
    expect(siSdrDb(clean, written.samples) - siSdrDb(clean, readWav(NOISY).samples)).toBeGreaterThan(3);
  });

  it('denoise with no GTCRN installed falls back to RNNoise and says how to install GTCRN', () => {
    const out = join(work, 'auto.wav');
    const result = runCollar(['denoise', '--in', NOISY, '--out', out], emptyEnv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/with rnnoise/);
    expect(result.stderr).toMatch(/collar models fetch gtcrn/);
  });

  it('denoise --engine gtcrn with no GTCRN installed fails with the fetch command and writes nothing', () => {
    const out = join(work, 'never.wav');
    const result = runCollar(['denoise', '--in', NOISY, '--out', out, '--engine', 'gtcrn'], emptyEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/collar models fetch gtcrn/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a corrupt WAV, a missing file and an unknown engine with exit 2, leaving no output', () => {
    const corrupt = join(work, 'corrupt.wav');
    writeFileSync(corrupt, 'RIFF\u0000\u0000\u0000\u0000WAVEjunk');
    const cases = [
      ['denoise', '--in', corrupt, '--out', join(work, 'x.wav')],
      ['denoise', '--in', join(work, 'absent.wav'), '--out', join(work, 'x.wav')],
      ['denoise', '--in', NOISY, '--out', join(work, 'x.wav'), '--engine', 'magic'],
      ['vad', '--in', corrupt],
      ['vad', '--in', CLIP, '--trailing-silence-ms', '-5'],
      ['vad', '--in', CLIP, '--model', 'v4'],
    ];
    for (const args of cases) {
      const result = runCollar(args, emptyEnv);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/corrupt\.wav|absent\.wav|magic|trailingSilenceMs|v4/);
    }
    expect(readdirSync(work).filter((name) => name.startsWith('x.wav'))).toEqual([]);
  });

  it('vad prints the segments as JSON in seconds, also for a 48 kHz stereo copy of the recording', async () => {
    const mono = runCollar(['vad', '--in', CLIP], emptyEnv);
    expect(mono.code).toBe(0);
    const report = JSON.parse(mono.stdout) as { segments: Array<{ start: number; end: number }>; model: string };
    expect(report.model).toBe('silero-vad-v6');
    expect(report.segments).toHaveLength(1);
    const [segment] = report.segments;
    expect(segment?.start).toBeGreaterThan(0.7);
    expect(segment?.start).toBeLessThan(1.1);
    expect(segment?.end).toBeGreaterThan(4.9);

    const clip = readWav(CLIP).samples;
    const up = await resampleSignal(clip, 16_000, 48_000);
    const stereo = new Float32Array(up.length * 2);
    up.forEach((value, i) => {
      stereo[2 * i] = value;
      stereo[2 * i + 1] = value;
    });
    const pcm = new Int16Array(stereo.length);
    floatToInt16(stereo, pcm);
    const path48 = join(work, 'clip48k-stereo.wav');
    writeWav16(path48, pcm, 48_000, 2);
    const converted = JSON.parse(runCollar(['vad', '--in', path48], emptyEnv).stdout) as typeof report;
    expect(converted.segments).toHaveLength(1);
    expect(Math.abs((converted.segments[0]?.start ?? 0) - (segment?.start ?? 0))).toBeLessThan(0.07);
  });
});
