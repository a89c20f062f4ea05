/**
 * The `CalibrationProfile`: what `collar calibrate` measured on one wearer's device, as
 * versioned JSON in the user's config folder. Each step writes its own section (a step
 * can be re-run alone), with the time it was measured; sections a profile lacks fall
 * back to documented defaults, and whoever uses them says so.
 *
 * Levels are dBFS at the pipeline (16 kHz mono, ±1.0 full scale). The echo path runs
 * from the samples handed to playback to the samples read from capture, so its delay
 * holds the whole I/O latency plus the few centimetres of air.
 */
import { z } from 'zod';

export const CALIBRATION_SCHEMA_VERSION = 1;

/**
 * `echoPath.impulseResponse` starts this many taps before the direct sound
 * (floor(delayMs · 16)): a fractional delay spreads the direct sound over a band-limited
 * pulse, and an echo canceller seeded from the response needs all of it.
 */
export const IMPULSE_RESPONSE_LEAD_SAMPLES = 16;

/**
 * Octave bands for mask leak and masking, centre frequencies in Hz: the SII octave-band
 * procedure's bands (ANSI S3.5-1997, table 4) that fit under the pipeline's 8 kHz Nyquist.
 */
export const MASK_BANDS_HZ = [250, 500, 1000, 2000, 4000] as const;

const isoDate = z.iso.datetime({ offset: true });
const dbfs = z.number().min(-160).max(0);

export const NoiseFloorSchema = z.strictObject({
  measuredAt: isoDate,
  /** RMS level of the quiet room at the microphone. */
  noiseFloorDbfs: dbfs,
  /** Seconds of quiet that were recorded. */
  durationSeconds: z.number().positive(),
});

export const MicGainSchema = z.strictObject({
  measuredAt: isoDate,
  /** Active speech level of the wearer reading the prompt (ITU-T P.56 style). */
  speechLevelDbfs: dbfs,
  peakDbfs: dbfs,
  /** Gain to apply in software so speech sits at the target level. */
  gainDb: z.number().min(-40).max(40),
});

export const EchoPathSchema = z.strictObject({
  measuredAt: isoDate,
  excitation: z.enum(['exp-sweep', 'mls']),
  /** Arrival of the direct sound, playback write to capture read (I/O latency + air). */
  delayMs: z.number().min(0).max(500),
  /** Round-trip I/O latency the device adds (delayMs less the acoustic flight time). */
  ioLatencyMs: z.number().min(0).max(500),
  /** Energy gain of the path, 10·log10(Σ h²). */
  gainDb: z.number().min(-80).max(20),
  /** Peak of the impulse response over its noise floor. */
  snrDb: z.number(),
  /**
   * The impulse response (16 kHz taps) from IMPULSE_RESPONSE_LEAD_SAMPLES before the direct
   * sound, trimmed to where it decays into noise.
   */
  impulseResponse: z.array(z.number()).min(1).max(8192),
});

export const MaskLeakSchema = z.strictObject({
  measuredAt: isoDate,
  /** `outer-microphone`: measured; `default`: the documented default (no outer microphone). */
  source: z.enum(['outer-microphone', 'default']),
  bandsHz: z.array(z.number().positive()).min(1),
  /**
   * Per band: the wearer's voice at the child's position (1 m in front) minus the same
   * voice at the inner microphone, in dB (negative: mask attenuation plus distance).
   */
  leakDb: z.array(z.number().min(-100).max(20)).min(1),
  /**
   * Per band: level at the child's position of a 0 dBFS speaker signal, on the inner
   * microphone's dBFS scale (how loud the speaker is out there, relative to the mic).
   */
  speakerToListenerDb: z.array(z.number().min(-100).max(40)).min(1),
});

export const CalibrationProfileSchema = z
  .strictObject({
    schemaVersion: z.literal(CALIBRATION_SCHEMA_VERSION),
    /** When the profile was last written. */
    updatedAt: isoDate,
    devices: z.strictObject({ capture: z.string().min(1), playback: z.string().min(1) }),
    sampleRateHz: z.literal(16_000),
    noiseFloor: NoiseFloorSchema.optional(),
    micGain: MicGainSchema.optional(),
    echoPath: EchoPathSchema.optional(),
    maskLeak: MaskLeakSchema.optional(),
  })
  .superRefine((profile, ctx) => {
    const leak = profile.maskLeak;
    for (const key of ['leakDb', 'speakerToListenerDb'] as const) {
      if (leak && leak.bandsHz.length !== leak[key].length) {
        ctx.addIssue({
          code: 'custom',
          path: ['maskLeak', key],
          message: `has ${leak[key].length} values for ${leak.bandsHz.length} bands`,
        });
      }
    }
  });

export type CalibrationProfile = z.infer<typeof CalibrationProfileSchema>;
export type NoiseFloor = z.infer<typeof NoiseFloorSchema>;
export type MicGain = z.infer<typeof MicGainSchema>;
export type EchoPath = z.infer<typeof EchoPathSchema>;
export type MaskLeak = z.infer<typeof MaskLeakSchema>;
