/**
 * `collar calibrate` through its offline route, as a subprocess: pass 1 writes what the
 * speaker plays (`--play-to`), the test plays it "through the device" by convolving it
 * with a known synthetic echo path and adding microphone noise, pass 2 measures that
 * recording (`--recorded`) and writes the profile. Plus the refusals and usage errors a
 * tester meets on this route.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve } from '../../../bench/acoustics/convolve.js';
import { ECHO_PATHS, generateEchoPath, pathGainDb } from '../../../bench/acoustics/echo-path.js';
import { wearerSpeech } from '../../../bench/acoustics/speech-sources.js';
import { CalibrationProfileSchema, MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { activeSpeechLevel } from '../../../calibration/level-measurement.js';
import { readWav, writeWav16 } from '../../../device/audio/wav-file.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';
import { runCollar } from '../../helpers/run-collar.js';

const dir = mkdtempSync(join(tmpdir(), 'collar-calibrate-wav-'));
const sweepWav = join(dir, 'sweep.wav');

/** "Plays" a file through the device: convolves it with `path`, adds microphone noise, writes the recording. */
function recordThrough(played: string, path: Float32Array, out: string, noiseDbfs = -65): void {
  const { samples } = readWav(played);
  const heard = convolve(samples, path);
  const gaussian = gaussianSource(seededRandom(21));
  const noise = 10 ** (noiseDbfs / 20);
  const int16 = Int16Array.from(heard, (value) =>
    Math.max(-32768, Math.min(32767, Math.round((value + noise * gaussian()) * 32768))),
  );
  writeWav16(out, int16, 16_000);
}

function profileAt(file: string) {
  return CalibrationProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

beforeAll(() => {
  const { code, stdout, stderr } = runCollar(['calibrate', '--step', 'echo', '--play-to', sweepWav, '--json']);
  expect(code, stderr).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ step: 'echo', playTo: sweepWav, seconds: 5.5 });
});

describe('collar calibrate, offline route (--play-to, then --recorded)', () => {
  it('writes the sweep it plays, padded to the whole recording, and no profile', () => {
    const wav = readWav(sweepWav);
    expect(wav.sampleRate).toBe(16_000);
    expect(wav.frames).toBe(88_000);
    expect(existsSync(join(dir, 'collar'))).toBe(false);
  });

  it.each(Object.entries(ECHO_PATHS))('recovers the %s path: delay within 1 ms, gain within 1 dB', (name, spec) => {
    const path = generateEchoPath(spec);
    const recording = join(dir, `rec-${name}.wav`);
    recordThrough(sweepWav, path, recording);
    const profile = join(dir, `profile-${name}.json`);
    const { code, stdout, stderr } = runCollar([
      'calibrate',
      '--step',
      'echo',
      '--recorded',
      recording,
      '--profile',
      profile,
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/echo delay: \d+\.\d\d ms \(exp-sweep\)/);
    expect(stderr).toMatch(new RegExp(`saved ${profile} \\(wrote echoPath\\)`));
    const echo = profileAt(profile).echoPath;
    if (!echo) throw new Error('no echo section');
    const delayErrorMs = echo.delayMs - spec.delayMs;
    const gainErrorDb = echo.gainDb - pathGainDb(path);
    console.log(
      `collar calibrate --recorded (${name}): delay ${echo.delayMs} ms (true ${spec.delayMs}, error ${delayErrorMs.toFixed(3)}), gain ${echo.gainDb} dB (true ${pathGainDb(path).toFixed(3)}, error ${gainErrorDb.toFixed(3)}), SNR ${echo.snrDb} dB`,
    );
    expect(Math.abs(delayErrorMs)).toBeLessThan(1);
    expect(Math.abs(gainErrorDb)).toBeLessThan(1);
    expect(JSON.parse(stdout)).toMatchObject({ saved: true, file: profile, written: ['echoPath'], problems: [] });
  });

  it('keeps the echo section when the noise step is run afterwards into the same profile', () => {
    const profile = join(dir, 'merged.json');
    const recording = join(dir, 'rec-merge.wav');
    recordThrough(sweepWav, generateEchoPath(ECHO_PATHS['near-dry'] as (typeof ECHO_PATHS)[string]), recording);
    expect(runCollar(['calibrate', '--step', 'echo', '--recorded', recording, '--profile', profile]).code).toBe(0);
    const quiet = join(dir, 'quiet.wav');
    const gaussian = gaussianSource(seededRandom(8));
    writeWav16(
      quiet,
      Int16Array.from({ length: 16_000 * 4 }, () => Math.round(32768 * 10 ** (-62 / 20) * gaussian())),
      16_000,
    );
    const { code, stderr } = runCollar(['calibrate', '--step', 'noise', '--recorded', quiet, '--profile', profile]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/wrote noiseFloor; kept echoPath/);
    const saved = profileAt(profile);
    expect(saved.echoPath?.delayMs).toBeCloseTo(8.3, 1);
    expect(saved.noiseFloor?.noiseFloorDbfs).toBeCloseTo(-62, 0);
  });

  it('measures the mask leak from an inner and an outer recording (--outer-recorded)', async () => {
    const played = join(dir, 'leak-played.wav');
    const pass1 = runCollar(['calibrate', '--step', 'leak', '--play-to', played]);
    expect(pass1.code, pass1.stderr).toBe(0);
    expect(pass1.stderr).toMatch(/--recorded <recording\.wav> --outer-recorded <outer\.wav>/);
    const { samples: speaker } = readWav(played);
    // The wearer reads for the first 9.8 s (before the speaker's noise starts at 10 s).
    const speech = (await wearerSpeech(9.8)).samples;
    const speechGain = 10 ** ((-26 - activeSpeechLevel(speech, 16_000).activeLevelDbfs) / 20);
    const echo = convolve(speaker, generateEchoPath(ECHO_PATHS['mask-cavity'] as (typeof ECHO_PATHS)[string]));
    const gaussian = gaussianSource(seededRandom(30));
    const toInt16 = (value: number): number => Math.max(-32768, Math.min(32767, Math.round(value * 32768)));
    const inner = Int16Array.from(echo, (value, i) =>
      toInt16(value + (speech[i] ?? 0) * speechGain + 3e-4 * gaussian()),
    );
    const outer = Int16Array.from(speaker, (value, i) =>
      toInt16(10 ** (-35 / 20) * (speech[i] ?? 0) * speechGain + 10 ** (-30 / 20) * value + 1e-5 * gaussian()),
    );
    writeWav16(join(dir, 'inner.wav'), inner, 16_000);
    writeWav16(join(dir, 'outer.wav'), outer, 16_000);
    const profile = join(dir, 'leak.json');
    const { code, stderr } = runCollar([
      'calibrate',
      '--step',
      'leak',
      '--recorded',
      join(dir, 'inner.wav'),
      '--outer-recorded',
      join(dir, 'outer.wav'),
      '--profile',
      profile,
    ]);
    expect(code, stderr).toBe(0);
    const leak = profileAt(profile).maskLeak;
    expect(leak?.source).toBe('outer-microphone');
    expect(leak?.bandsHz).toEqual([...MASK_BANDS_HZ]);
    console.log(
      `collar calibrate --step leak --recorded/--outer-recorded: leak ${leak?.leakDb.join(' / ')} dB (true -35), speaker ${leak?.speakerToListenerDb.join(' / ')} dB (true -30)`,
    );
    for (const db of leak?.leakDb ?? []) expect(Math.abs(db + 35)).toBeLessThan(1);
    for (const db of leak?.speakerToListenerDb ?? []) expect(Math.abs(db + 30)).toBeLessThan(1);
  });

  it('refuses a recording of digital silence: "no signal", exit 1, nothing written', () => {
    const silent = join(dir, 'silent.wav');
    writeWav16(silent, new Int16Array(16_000 * 6), 16_000);
    const profile = join(dir, 'never.json');
    const { code, stderr } = runCollar(['calibrate', '--step', 'echo', '--recorded', silent, '--profile', profile]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /refusing to save the calibration profile:\n {2}- echo: no signal: the microphone delivered digital silence/,
    );
    expect(stderr).toMatch(`nothing was written to ${profile}`);
    expect(existsSync(profile)).toBe(false);
  });

  it('refuses a recording that started after the playback: "delay out of range", exit 1', () => {
    const late = join(dir, 'late.wav');
    recordThrough(sweepWav, generateEchoPath(ECHO_PATHS['near-dry'] as (typeof ECHO_PATHS)[string]), late);
    // Drop the first 60 ms, as if recording had started after the file began to play.
    const wav = readWav(late);
    writeWav16(
      late,
      Int16Array.from(wav.samples.subarray(960), (v) => Math.round(v * 32768)),
      16_000,
    );
    const profile = join(dir, 'late.json');
    const { code, stderr } = runCollar([
      'calibrate',
      '--step',
      'echo',
      '--recorded',
      late,
      '--profile',
      profile,
      '--json',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /echo: delay out of range: -51\.7\d ms \(expected 0–300 ms\); the echo arrived before it was played/,
    );
    expect(existsSync(profile)).toBe(false);
  });

  it.each([
    [['--step', 'all', '--recorded', sweepWav], /takes one step at a time/],
    [['--step', 'echo', '--play-to', join(dir, 'x.wav'), '--recorded', sweepWav], /use one per run/],
    [['--step', 'leak', '--recorded', sweepWav], /give its recording with --outer-recorded/],
    [['--step', 'volume'], /--step must be one of noise, gain, echo, leak, all; got "volume"/],
    [['--step', 'echo', '--excitation', 'chirp', '--recorded', sweepWav], /--excitation must be exp-sweep or mls/],
  ])('usage error %j exits 2 with the reason', (args, reason) => {
    const { code, stderr } = runCollar(['calibrate', ...args, '--profile', join(dir, 'usage.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
  });

  it('refuses a file that is not a WAV with exit 2', () => {
    const bad = join(dir, 'bad.wav');
    writeFileSync(bad, 'ID3 not a wav');
    const { code, stderr } = runCollar([
      'calibrate',
      '--step',
      'echo',
      '--recorded',
      bad,
      '--profile',
      join(dir, 'b.json'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a WAV file/);
  });

  it('stops at a corrupt existing profile before measuring, saying what is wrong and what to do', () => {
    const profile = join(dir, 'corrupt.json');
    writeFileSync(profile, '{"schemaVersion": 1,');
    const { code, stderr } = runCollar(['calibrate', '--step', 'echo', '--recorded', sweepWav, '--profile', profile]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`calibration profile ${profile}:\\n {2}- not valid JSON`));
    expect(stderr).toMatch(/--fresh/);
    expect(stderr).not.toMatch(/Echo path/);
  });
});
