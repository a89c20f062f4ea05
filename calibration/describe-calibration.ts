/**
 * The lines the controller prints at start about its calibration: what was measured and
 * when, or that there is none and which documented defaults it runs on instead.
 */
import type { CalibrationProfile } from './calibration-profile.js';
import { DEFAULT_IO_LATENCY_MS, defaultMaskLeak } from './defaults.js';
import type { LoadedCalibration } from './profile-store.js';

const signed = (value: number, digits = 1): string => `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;

function leakRange(leakDb: number[]): string {
  const low = Math.min(...leakDb);
  const high = Math.max(...leakDb);
  return low === high ? `${low.toFixed(0)} dB` : `${low.toFixed(0)}…${high.toFixed(0)} dB`;
}

function defaultsLine(): string {
  const leak = defaultMaskLeak();
  return `echo delay search from ${DEFAULT_IO_LATENCY_MS} ms I/O latency, mic gain 0 dB, mask leak ${leakRange(leak.leakDb)} (documented default)`;
}

function maskLeakText(profile: CalibrationProfile): string | undefined {
  const leak = profile.maskLeak;
  if (!leak) return undefined;
  if (leak.source === 'default') return 'mask leak: default (no outer microphone)';
  return `mask leak: ${leakRange(leak.leakDb)} over ${leak.bandsHz[0]}–${leak.bandsHz.at(-1)} Hz (outer microphone)`;
}

/** One line, or two when some sections were never measured. */
export function describeCalibration(result: LoadedCalibration): string[] {
  if (result.status === 'missing') {
    return [`calibration: none at ${result.file}; run \`collar calibrate\` (using defaults: ${defaultsLine()})`];
  }
  const { profile, file } = result;
  const parts: string[] = [];
  if (profile.noiseFloor) parts.push(`noise floor ${profile.noiseFloor.noiseFloorDbfs.toFixed(1)} dBFS`);
  if (profile.micGain) parts.push(`mic gain ${signed(profile.micGain.gainDb)} dB`);
  if (profile.echoPath) {
    const echo = profile.echoPath;
    parts.push(
      `echo delay ${echo.delayMs.toFixed(1)} ms (I/O latency ${echo.ioLatencyMs.toFixed(1)} ms, gain ${signed(echo.gainDb)} dB, SNR ${echo.snrDb.toFixed(0)} dB)`,
    );
  }
  const leak = maskLeakText(profile);
  if (leak) parts.push(leak);
  const missing = [
    profile.noiseFloor ? undefined : 'noise floor',
    profile.micGain ? undefined : 'mic gain (0 dB used)',
    profile.echoPath ? undefined : `echo path (delay search from ${DEFAULT_IO_LATENCY_MS} ms)`,
    profile.maskLeak ? undefined : 'mask leak (documented default used)',
  ].filter((text): text is string => text !== undefined);
  const date = profile.updatedAt.slice(0, 10);
  const lines = [`calibration from ${date} (${file}): ${parts.length ? parts.join('; ') : 'no sections measured'}`];
  if (missing.length) lines.push(`calibration: not measured: ${missing.join(', ')}; run \`collar calibrate --step …\``);
  return lines;
}
