/**
 * What a running session takes from the calibration profile, and the lines it prints
 * about it at start: the measured echo delay (where the canceller's delay search
 * starts) and the mask leak (the masker's level), or the documented defaults when the
 * profile or a section is missing. A profile that cannot be read is reported with the
 * reason and the session runs on defaults: the device must still work for the family.
 */
import type { MaskLeak } from '../../calibration/calibration-profile.js';
import { defaultMaskLeak } from '../../calibration/defaults.js';
import { describeCalibration } from '../../calibration/describe-calibration.js';
import { CalibrationProfileError, loadCalibrationProfile } from '../../calibration/profile-store.js';

export interface CalibrationInUse {
  /** Lines for the wearer or tester (stderr). */
  lines: string[];
  echoDelayMs?: number;
  /** The measured echo path (starting IMPULSE_RESPONSE_LEAD_SAMPLES before the direct sound): seeds the canceller. */
  echoImpulseResponse?: number[];
  maskLeak: MaskLeak;
}

export function calibrationInUse(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): CalibrationInUse {
  try {
    const loaded = loadCalibrationProfile(options);
    const profile = loaded.status === 'loaded' ? loaded.profile : undefined;
    return {
      lines: describeCalibration(loaded),
      ...(profile?.echoPath
        ? { echoDelayMs: profile.echoPath.delayMs, echoImpulseResponse: profile.echoPath.impulseResponse }
        : {}),
      maskLeak: profile?.maskLeak ?? defaultMaskLeak(),
    };
  } catch (error) {
    if (!(error instanceof CalibrationProfileError)) throw error;
    return {
      lines: [`calibration: ${error.message}`, 'calibration: running on the documented defaults until it is fixed'],
      maskLeak: defaultMaskLeak(),
    };
  }
}
