/** The lines the controller prints at start about its calibration. */
import { describe, expect, it } from 'vitest';
import type { CalibrationProfile } from '../../../calibration/calibration-profile.js';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { describeCalibration } from '../../../calibration/describe-calibration.js';

const base: CalibrationProfile = {
  schemaVersion: 1,
  updatedAt: '2025-03-02T09:00:00.000Z',
  devices: { capture: 'inner', playback: 'speaker' },
  sampleRateHz: 16_000,
};

describe('describeCalibration', () => {
  it('says there is none, where it looked, what to run and which defaults are in use', () => {
    expect(describeCalibration({ status: 'missing', file: '/c/collar/calibration.json' })).toEqual([
      'calibration: none at /c/collar/calibration.json; run `collar calibrate` (using defaults: echo delay search from 20 ms I/O latency, mic gain 0 dB, mask leak -60…-44 dB (documented default))',
    ]);
  });

  it('summarises a full profile in one line, with the default mask leak labelled', () => {
    const profile: CalibrationProfile = {
      ...base,
      noiseFloor: { measuredAt: base.updatedAt, noiseFloorDbfs: -68.24, durationSeconds: 3 },
      micGain: { measuredAt: base.updatedAt, speechLevelDbfs: -30, peakDbfs: -10, gainDb: 4 },
      echoPath: {
        measuredAt: base.updatedAt,
        excitation: 'exp-sweep',
        delayMs: 21.69,
        ioLatencyMs: 21.4,
        gainDb: -9.05,
        snrDb: 71.2,
        impulseResponse: [0.3],
      },
      maskLeak: defaultMaskLeak(base.updatedAt),
    };
    expect(describeCalibration({ status: 'loaded', profile, file: '/p.json' })).toEqual([
      'calibration from 2025-03-02 (/p.json): noise floor -68.2 dBFS; mic gain +4.0 dB; echo delay 21.7 ms (I/O latency 21.4 ms, gain -9.1 dB, SNR 71 dB); mask leak: default (no outer microphone)',
    ]);
  });

  it('names what was never measured, and a measured leak by its range', () => {
    const profile: CalibrationProfile = {
      ...base,
      maskLeak: {
        ...defaultMaskLeak(base.updatedAt),
        source: 'outer-microphone',
        leakDb: [-41, -43, -47, -52, -55],
      },
    };
    const lines = describeCalibration({ status: 'loaded', profile, file: '/p.json' });
    expect(lines[0]).toBe(
      'calibration from 2025-03-02 (/p.json): mask leak: -55…-41 dB over 250–4000 Hz (outer microphone)',
    );
    expect(lines[1]).toBe(
      'calibration: not measured: noise floor, mic gain (0 dB used), echo path (delay search from 20 ms); run `collar calibrate --step …`',
    );
  });
});
