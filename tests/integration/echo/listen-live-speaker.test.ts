/**
 * `collar listen --playback-device`: the whole live loop on the real audio path (PortAudio
 * on ALSA virtual devices). The microphone device plays a real Mandarin recording; the
 * echo canceller and guard run in the denoise worker, reading the playback reference;
 * the English (espeak-ng, from a family phrasebook for the stand-in recogniser's words)
 * is played through the speaker mixer — masker, ducking, limiter — to the playback
 * device, whose file is then checked. The ALSA null PCM has no clock, so this checks
 * what reaches the devices and the reports, not timing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { readWav } from '../../../device/audio/wav-file.js';
import { CAPTURE_DEVICE, createVirtualDevices, PLAYBACK_DEVICE } from '../../doubles/alsa-virtual-devices.js';
import { installListenStandIns } from '../../helpers/listen-stand-ins.js';
import { tempDir } from '../../helpers/model-cache.js';
import { runCollar } from '../../helpers/run-collar.js';

const CLIP = join(SHARED_PATHS.mandarinDir, 'llamacpp_sample.wav');
const missing = firstMissing([CLIP, SHARED_PATHS.gtcrnModel]);
if (missing) console.warn(`skipping live speaker tests: ${missing} is missing (../shared not present)`);

const work = tempDir('listen-live');
afterAll(() => work.remove());
let env: Record<string, string> = {};

describe.skipIf(missing !== undefined)('collar listen with a live speaker', () => {
  beforeAll(() => {
    env = installListenStandIns(work.path);
  });

  /** The recording as the capture device's raw file (int16, exactly the WAV's samples), with 3 s of quiet after it. */
  function captureDevices() {
    const wav = readWav(CLIP);
    const samples = new Int16Array(wav.frames + 16_000 * 3);
    for (let i = 0; i < wav.frames; i++) samples[i] = Math.round((wav.samples[i * wav.channels] as number) * 32768);
    return createVirtualDevices(samples);
  }

  function runLive(devices: ReturnType<typeof createVirtualDevices>, extra: string[]) {
    const result = runCollar(
      [
        'listen',
        '--capture-device',
        CAPTURE_DEVICE,
        '--playback-device',
        PLAYBACK_DEVICE,
        '--rate',
        '16000',
        '--duration',
        '8',
        ...extra,
      ],
      { ...env, ALSA_CONFIG_PATH: devices.configPath },
      90_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = /speaker \(.*\): English ([\d.]+) s, masker \((\w+)\) ([\d.]+) s, peak (-?[\d.]+) dBFS/.exec(
      result.stderr,
    );
    expect(summary, result.stderr).not.toBeNull();
    const [, englishS, mode, maskerS, peakDbfs] = summary as RegExpExecArray;
    const raw = readFileSync(devices.playbackRaw);
    const played = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1);
    const peak = played.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    return { result, englishS: Number(englishS), mode, maskerS: Number(maskerS), peakDbfs: Number(peakDbfs), peak };
  }

  it('speaks the English of the first utterance on the playback device, and says it has no calibration', () => {
    // The stand-in's words are made up: a family phrasebook gives the first utterance English.
    const first = runCollar(['listen', '--in', CLIP, '--json', '--no-translate'], env, 60_000)
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { chinese: string })[0];
    const family = join(work.path, 'family.json');
    writeFileSync(
      family,
      JSON.stringify({
        version: 1,
        entries: [{ id: 'said-1', category: 'everyday', zh: [first?.chinese], en: 'Line one, sweetie.' }],
      }),
    );
    const devices = captureDevices();
    const live = runLive(devices, ['--mask', 'off', '--phrasebook', family]);
    expect(live.result.stderr).toMatch(/calibration: none at .*calibration\.json; run `collar calibrate`/);
    expect(live.result.stdout).toMatch(
      /→ Line one, sweetie\.[^\n]*\n\s+♪ first English audio queued for the speaker \d+ ms/,
    );
    expect(live.mode).toBe('off');
    expect(live.maskerS).toBe(0);
    expect(live.englishS).toBeGreaterThan(0.5);
    // Heard (each utterance start), then English coming for the first; the second has no English.
    expect(live.result.stderr).toMatch(/earcons heard .*englishComing/);
    expect(live.peak).toBeGreaterThan(0.1 * 32768); // the English reached the device
    expect(live.peak).toBeLessThanOrEqual(Math.ceil(32768 * 10 ** (-1 / 20)) + 1); // never past the limiter's ceiling
  }, 180_000);

  it('refuses a bad --rate, a missing --profile and a --mask without a speaker, with exit 2 and the reason', () => {
    for (const [args, reason] of [
      [['--playback-device', PLAYBACK_DEVICE, '--rate', '44100.5'], /--rate must be a whole number/],
      [
        ['--playback-device', PLAYBACK_DEVICE, '--profile', join(work.path, 'absent.json')],
        /--profile .*absent\.json: no such file/,
      ],
      [['--mask', 'full'], /--mask and --profile are for live speech/],
      [['--playback-device', PLAYBACK_DEVICE, '--mask', 'loud'], /--mask must be one of off, soft, full/],
    ] as const) {
      const result = runCollar(['listen', '--in', CLIP, ...args], env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(reason);
    }
  });

  it('sounds the masker while the wearer speaks (--mask full), under the limiter ceiling', () => {
    const devices = captureDevices();
    const live = runLive(devices, ['--mask', 'full']);
    expect(live.mode).toBe('full');
    // The recording holds about 3.4 s of speech; the masker follows it with its hold and release.
    expect(live.maskerS).toBeGreaterThan(1);
    expect(live.maskerS).toBeLessThan(6);
    expect(live.peakDbfs).toBeLessThanOrEqual(-1 + 0.01);
    expect(live.peak).toBeLessThanOrEqual(Math.ceil(32768 * 10 ** (-1 / 20)) + 1);
  }, 180_000);
});
