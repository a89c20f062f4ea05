/**
 * What the device assumes for a measurement the profile lacks. Every figure is an
 * assumption about typical hardware, stated here once so the controller can say which
 * ones it is running on; a measured profile replaces each.
 *
 * Scale: the inner microphone's full scale is taken as 120 dB SPL (a typical MEMS
 * microphone: 94 dB SPL reads −26 dBFS). The chest speaker at 0 dBFS is taken to give
 * 85 dB SPL at 1 m (a small full-range driver), so 0 dBFS at the speaker reaches the
 * child at 85 − 120 = −35 dB on the microphone's scale.
 *
 * Leak: the inner microphone sits about 2.5 cm from the lips and the child about 1 m
 * away, 20·log10(100 / 2.5) ≈ 32 dB of spherical spreading; the soft mask adds about
 * 20 dB on average, rising with frequency as fabric masks do (fabric and surgical mask
 * measurements show little loss below 500 Hz and the most at 2–4 kHz).
 */
import { MASK_BANDS_HZ, type MaskLeak } from './calibration-profile.js';

/** Spherical spreading from the inner microphone (2.5 cm) to the child (1 m). */
export const DEFAULT_DISTANCE_LOSS_DB = 32;
/** Mask attenuation per band of MASK_BANDS_HZ (250 … 4000 Hz); about 20 dB on average. */
export const DEFAULT_MASK_ATTENUATION_DB = [12, 15, 19, 24, 28] as const;
/** The chest speaker at 1 m per 0 dBFS, on the microphone's scale (85 dB SPL − 120 dB SPL). */
export const DEFAULT_SPEAKER_TO_LISTENER_DB = -35;
/** Round-trip I/O latency assumed before the echo path is measured (the AEC's delay search starts here). */
export const DEFAULT_IO_LATENCY_MS = 20;

export function defaultMaskLeak(measuredAt = new Date(0).toISOString()): MaskLeak {
  return {
    measuredAt,
    source: 'default',
    bandsHz: [...MASK_BANDS_HZ],
    leakDb: DEFAULT_MASK_ATTENUATION_DB.map((maskDb) => -(DEFAULT_DISTANCE_LOSS_DB + maskDb)),
    speakerToListenerDb: MASK_BANDS_HZ.map(() => DEFAULT_SPEAKER_TO_LISTENER_DB),
  };
}

/**
 * Chest speaker to the microphone inside the mask, for the acoustic part of the echo
 * delay (the rest is I/O latency): about 10 cm on a neck-worn device, 0.3 ms of flight.
 */
export const DEFAULT_SPEAKER_TO_MIC_DISTANCE_CM = 10;
/** Speed of sound in air at 20 °C. */
export const SPEED_OF_SOUND_M_PER_S = 343;
