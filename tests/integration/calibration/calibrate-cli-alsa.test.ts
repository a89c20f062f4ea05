/**
 * `collar calibrate` on live devices: real PortAudio (naudiodon, in its host processes)
 * on ALSA virtual devices backed by files (tests/fixtures/alsa). The capture file is
 * fixed before the run, so these devices cannot close an acoustic loop (what the
 * microphone "hears" cannot depend on what the speaker plays); the echo path's delay and
 * gain are checked through the simulated loop and the offline route instead. What is
 * checked here is the live path itself: a microphone that delivers digital silence is
 * refused with "no signal", a live noise floor is measured and saved with the devices'
 * names, and a non-interactive run must say --yes.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalibrationProfile } from '../../../calibration/profile-store.js';
import { echoPathStep } from '../../../calibration/steps/echo-path-step.js';
import { floatToInt16 } from '../../../pipeline/dsp/sample-format.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';
import { CAPTURE_DEVICE, createVirtualDevices, PLAYBACK_DEVICE } from '../../doubles/alsa-virtual-devices.js';
import { runCollar } from '../../helpers/run-collar.js';

const LIVE = ['--capture-device', CAPTURE_DEVICE, '--playback-device', PLAYBACK_DEVICE, '--rate', '16000'];

describe('collar calibrate through PortAudio on ALSA virtual devices', () => {
  it.each(['noise', 'echo'])(
    'refuses a microphone that delivers digital silence (%s step): "no signal", exit 1, nothing written',
    (step) => {
      const devices = createVirtualDevices(new Int16Array(16_000 * 10));
      const profile = join(devices.dir, 'calibration.json');
      const { code, stderr } = runCollar(
        ['calibrate', '--step', step, ...LIVE, '--yes', '--profile', profile],
        devices.env,
      );
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /calibrating: microphone PortAudio capture "collar_test_capture"; speaker PortAudio playback "collar_test_playback"/,
      );
      expect(stderr).toMatch(
        new RegExp(
          `refusing to save the calibration profile:\\n {2}- ${step}: no signal: the microphone delivered digital silence`,
        ),
      );
      expect(stderr).toMatch(`nothing was written to ${profile}`);
      expect(existsSync(profile)).toBe(false);
      if (step === 'echo') {
        // The sweep did go out through PortAudio: the playback device's file holds all its energy.
        const raw = readFileSync(devices.playbackRaw);
        const played = new Int16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
        const sweep = new Int16Array(echoPathStep().stimulus().length);
        floatToInt16(echoPathStep().stimulus(), sweep);
        const energy = (samples: Int16Array): number => samples.reduce((sum, value) => sum + value * value, 0);
        expect(energy(played) / energy(sweep)).toBeCloseTo(1, 4);
      }
    },
  );

  it('measures a live −60 dBFS noise floor and saves it with the devices’ names', () => {
    const gaussian = gaussianSource(seededRandom(12));
    const amplitude = 32768 * 10 ** (-60 / 20);
    const devices = createVirtualDevices(
      Int16Array.from({ length: 16_000 * 10 }, () => Math.round(amplitude * gaussian())),
    );
    const profile = join(devices.dir, 'calibration.json');
    const { code, stderr } = runCollar(
      ['calibrate', '--step', 'noise', ...LIVE, '--yes', '--profile', profile],
      devices.env,
    );
    expect(code, stderr).toBe(0);
    const loaded = loadCalibrationProfile({ file: profile });
    if (loaded.status !== 'loaded') throw new Error('no profile');
    expect(loaded.profile.devices).toEqual({ capture: CAPTURE_DEVICE, playback: PLAYBACK_DEVICE });
    expect(Math.abs((loaded.profile.noiseFloor?.noiseFloorDbfs ?? 0) + 60)).toBeLessThan(0.5);
  });

  it('asks for --yes when nobody can press Enter (stdin is not a terminal)', () => {
    const devices = createVirtualDevices(new Int16Array(16_000));
    const { code, stderr } = runCollar(
      ['calibrate', '--step', 'noise', ...LIVE, '--profile', join(mkdtempSync(join(tmpdir(), 'c-')), 'p.json')],
      devices.env,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/waits for Enter before each step, and stdin is not a terminal: pass --yes/);
  });
});
