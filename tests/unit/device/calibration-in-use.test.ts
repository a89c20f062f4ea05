/** What a running session takes from the calibration profile, and what it says about it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { saveCalibrationProfile } from '../../../calibration/profile-store.js';
import { calibrationInUse } from '../../../device/session/calibration-in-use.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'collar-in-use-'));
const measuredAt = '2026-11-01T10:00:00.000Z';

describe('calibrationInUse', () => {
  it('says there is none and runs on the documented defaults', () => {
    const file = join(dir(), 'calibration.json');
    const inUse = calibrationInUse({ file });
    expect(inUse.lines[0]).toMatch(/calibration: none at .*calibration\.json; run `collar calibrate`/);
    expect(inUse.echoDelayMs).toBeUndefined();
    expect(inUse.maskLeak).toEqual(defaultMaskLeak());
  });

  it('takes the measured echo path (delay and response) and mask leak from a profile', () => {
    const file = join(dir(), 'calibration.json');
    const maskLeak = {
      ...defaultMaskLeak(measuredAt),
      source: 'outer-microphone' as const,
      leakDb: [-40, -42, -45, -50, -55],
    };
    saveCalibrationProfile(
      {
        devices: { capture: 'inner mic', playback: 'chest speaker' },
        echoPath: {
          measuredAt,
          excitation: 'exp-sweep',
          delayMs: 21.7,
          ioLatencyMs: 21.4,
          gainDb: -9,
          snrDb: 70,
          impulseResponse: [0, 0.3, -0.1],
        },
        maskLeak,
      },
      file,
    );
    const inUse = calibrationInUse({ file });
    expect(inUse.lines[0]).toMatch(/calibration from \d{4}-\d\d-\d\d .*echo delay 21\.7 ms/);
    expect(inUse.echoDelayMs).toBe(21.7);
    expect(inUse.echoImpulseResponse).toEqual([0, 0.3, -0.1]);
    expect(inUse.maskLeak.leakDb).toEqual([-40, -42, -45, -50, -55]);
  });

  it('reports a corrupt profile with the reason and keeps the device working on defaults', () => {
    const file = join(dir(), 'calibration.json');
    writeFileSync(file, '{"schemaVersion": 1, "updatedAt": ');
    const inUse = calibrationInUse({ file });
    expect(inUse.lines.join('\n')).toMatch(
      /calibration profile .*calibration\.json[\s\S]*running on the documented defaults/,
    );
    expect(inUse.maskLeak).toEqual(defaultMaskLeak());
  });
});
