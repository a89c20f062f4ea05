/**
 * The profile store: where the file is, what loading says about a missing, corrupt,
 * invalid or newer file, atomic writes, and merging when one step is run again.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import {
  CalibrationProfileError,
  type CalibrationUpdate,
  calibrationProfilePath,
  loadCalibrationProfile,
  saveCalibrationProfile,
} from '../../../calibration/profile-store.js';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'collar-calibration-'));
const devices = { capture: 'inner mic', playback: 'chest speaker' };
const measuredAt = '2025-03-01T10:00:00.000Z';
const echoPath = {
  measuredAt,
  excitation: 'exp-sweep' as const,
  delayMs: 21.7,
  ioLatencyMs: 21.4,
  gainDb: -9,
  snrDb: 70,
  impulseResponse: [0.3, 0.1, -0.02],
};
const noiseFloor = { measuredAt, noiseFloorDbfs: -68.2, durationSeconds: 3 };

function caught(action: () => unknown): CalibrationProfileError {
  try {
    action();
  } catch (error) {
    if (error instanceof CalibrationProfileError) return error;
    throw error;
  }
  throw new Error('expected a CalibrationProfileError');
}

describe('calibrationProfilePath', () => {
  it('is calibration.json beside the config file, or COLLAR_CALIBRATION', () => {
    expect(calibrationProfilePath({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/collar/calibration.json');
    expect(calibrationProfilePath({ HOME: '/home/w' })).toBe('/home/w/.config/collar/calibration.json');
    expect(calibrationProfilePath({ XDG_CONFIG_HOME: '/x/cfg', COLLAR_CALIBRATION: '/y/p.json' })).toBe('/y/p.json');
  });
});

describe('loadCalibrationProfile', () => {
  it('says "missing" with the file it looked for', () => {
    const dir = freshDir();
    expect(loadCalibrationProfile({ env: { XDG_CONFIG_HOME: dir } })).toEqual({
      status: 'missing',
      file: join(dir, 'collar', 'calibration.json'),
    });
  });

  it('reads back what was saved', () => {
    const file = join(freshDir(), 'p.json');
    const saved = saveCalibrationProfile({ devices, echoPath }, file);
    const loaded = loadCalibrationProfile({ file });
    expect(loaded).toEqual({ status: 'loaded', profile: saved.profile, file });
  });

  it('refuses a file that is not JSON, naming the file and what to do', () => {
    const file = join(freshDir(), 'p.json');
    writeFileSync(file, '{"schemaVersion": 1, "devices": ');
    const error = caught(() => loadCalibrationProfile({ file }));
    expect(error.file).toBe(file);
    expect(error.message).toMatch(new RegExp(`calibration profile ${file}:\\n  - not valid JSON`));
    expect(error.message).toMatch(/Run `collar calibrate` again/);
  });

  it('lists every schema problem with its key path', () => {
    const file = join(freshDir(), 'p.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        updatedAt: 'yesterday',
        devices,
        sampleRateHz: 16_000,
        echoPath: { ...echoPath, delayMs: -3 },
        maskLeak: { ...defaultMaskLeak(), leakDb: [-40, -41] },
        colour: 'blue',
      }),
    );
    const { problems } = caught(() => loadCalibrationProfile({ file }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^colour: unknown key/),
        expect.stringMatching(/^updatedAt: .*got "yesterday"/),
        expect.stringMatching(/^echoPath\.delayMs: .*got -3/),
        expect.stringMatching(/^maskLeak\.leakDb: has 2 values for 5 bands/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('says a file from a newer collar is from a newer collar', () => {
    const file = join(freshDir(), 'p.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 3, whatever: true }));
    const error = caught(() => loadCalibrationProfile({ file }));
    expect(error.problems).toEqual(['written by a newer collar (schemaVersion 3); this collar reads schemaVersion 1']);
    expect(error.hint).toMatch(/Update collar, or calibrate into another file/);
  });
});

describe('saveCalibrationProfile', () => {
  it('creates the folder, writes versioned JSON, and leaves no temp file', () => {
    const dir = join(freshDir(), 'collar');
    const file = join(dir, 'calibration.json');
    const now = new Date('2025-03-02T09:00:00.000Z');
    const result = saveCalibrationProfile({ devices, noiseFloor }, file, { now });
    expect(result.written).toEqual(['noiseFloor']);
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk).toEqual({
      schemaVersion: 1,
      updatedAt: now.toISOString(),
      devices,
      sampleRateHz: 16_000,
      noiseFloor,
    });
    expect(readdirSync(dir)).toEqual(['calibration.json']);
  });

  it('keeps the other sections when one step is run again on the same devices', () => {
    const file = join(freshDir(), 'p.json');
    saveCalibrationProfile({ devices, noiseFloor, echoPath }, file);
    const newer = { ...echoPath, delayMs: 22.1, measuredAt: '2025-03-03T10:00:00.000Z' };
    const result = saveCalibrationProfile({ devices, echoPath: newer }, file);
    expect(result.written).toEqual(['echoPath']);
    expect(result.kept).toEqual(['noiseFloor']);
    expect(loadCalibrationProfile({ file })).toMatchObject({ profile: { noiseFloor, echoPath: newer } });
  });

  it('drops sections measured on other devices, and says which', () => {
    const file = join(freshDir(), 'p.json');
    saveCalibrationProfile({ devices, noiseFloor }, file);
    const result = saveCalibrationProfile({ devices: { ...devices, capture: 'usb mic' }, echoPath }, file);
    expect(result.dropped).toEqual(['noiseFloor']);
    const loaded = loadCalibrationProfile({ file });
    expect(loaded.status === 'loaded' && loaded.profile.noiseFloor).toBe(undefined);
  });

  it('will not merge into a corrupt file, but --fresh replaces it', () => {
    const file = join(freshDir(), 'p.json');
    writeFileSync(file, 'not json');
    expect(() => saveCalibrationProfile({ devices, echoPath }, file)).toThrow(CalibrationProfileError);
    expect(readFileSync(file, 'utf8')).toBe('not json');
    saveCalibrationProfile({ devices, echoPath }, file, { fresh: true });
    expect(loadCalibrationProfile({ file }).status).toBe('loaded');
  });

  it('writes nothing when the result would not fit the schema', () => {
    const file = join(freshDir(), 'p.json');
    saveCalibrationProfile({ devices, noiseFloor }, file);
    const before = readFileSync(file, 'utf8');
    const bad = { devices, echoPath: { ...echoPath, impulseResponse: [] } } as CalibrationUpdate;
    const error = caught(() => saveCalibrationProfile(bad, file));
    expect(error.problems[0]).toMatch(/^echoPath\.impulseResponse: /);
    expect(error.hint).toMatch(/Nothing was written/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('cleans up its temp file when the final rename fails, leaving what was there', () => {
    // A directory where the profile should go: the temp file is written, the rename over it fails.
    const dir = freshDir();
    const file = join(dir, 'calibration.json');
    mkdirSync(file);
    writeFileSync(join(file, 'keep'), 'x');
    expect(() => saveCalibrationProfile({ devices, echoPath }, file, { fresh: true })).toThrow(
      /EISDIR|ENOTEMPTY|EEXIST/,
    );
    expect(readdirSync(dir)).toEqual(['calibration.json']);
    expect(readdirSync(file)).toEqual(['keep']);
  });
});
