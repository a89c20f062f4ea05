/**
 * Everything the chest speaker plays, one frame at a time:
 *
 *   (English + earcons) · volume  +  masker (gated on the wearer, ducked under English)
 *     → look-ahead limiter → out
 *
 * `out` is both what the speaker plays and the echo canceller's reference. The volume
 * scales the English and the earcons but not the masker: the masker's level is set
 * absolutely from calibration so that it holds the speech-to-masker target at the child
 * whatever the volume (docs/masking.md). The limiter covers the sum in every mode.
 */
import { z } from 'zod';
import { VOLUME_DB_MAX, VOLUME_DB_MIN } from '../../control/control-event.js';
import type { LookaheadLimiterOptions } from './lookahead-limiter.js';
import { LookaheadLimiter } from './lookahead-limiter.js';
import { Masker, type MaskerOptions } from './masker.js';
import { MASKER_MODES, type MaskerCalibration, type MaskerMode } from './masker-level.js';
import { numberIn, parseOptions } from './speaker-options.js';

/** What mixes earcons in; device/outputs/earcon-overlay.ts's EarconOverlay is one. */
export interface EarconSource {
  mixInto(frame: Float32Array): void;
}

export const SpeakerMixerOptionsSchema = z.strictObject({
  mode: z.enum(MASKER_MODES).default('full'),
  volumeDb: numberIn(VOLUME_DB_MIN, VOLUME_DB_MAX, 'dB').default(0),
  /** English whose peak in a frame is above this counts as playing (and ducks the masker). */
  englishThresholdDbfs: numberIn(-100, -20, 'dBFS').default(-60),
  masker: z.custom<Omit<MaskerOptions, 'mode'>>().optional(),
  limiter: z.custom<LookaheadLimiterOptions>().optional(),
});
export type SpeakerMixerOptions = z.input<typeof SpeakerMixerOptionsSchema>;

export interface SpeakerMixInput {
  /** The English to play this frame; absent or silent when there is none. */
  english?: Float32Array | undefined;
  /** The inner microphone after echo cancellation (the wearer's voice). */
  micAfterAec: Float32Array;
  wearerSpeaking: boolean;
}

export interface SpeakerFrameReport {
  mode: MaskerMode;
  /** RMS level of the masker this frame, at the speaker (−Infinity when silent). */
  maskerLevelDbfs: number;
  /** True when the masker's cap limited it this frame. */
  maskerCapped: boolean;
  /** Masker ducking gain at the end of the frame, dB (0 … −duckDb). */
  duckGainDb: number;
  /** Largest limiter gain reduction this frame, dB (≥ 0). */
  limiterGainReductionDb: number;
  /** Whether this frame's English was above the threshold. */
  englishActive: boolean;
}

export class SpeakerMixer {
  readonly masker: Masker;
  readonly limiter: LookaheadLimiter;
  private volumeDbValue: number;
  private volumeGain: number;
  private appliedVolumeGain: number;
  private readonly englishThreshold: number;
  private maskerBuffer = new Float32Array(0);

  constructor(
    calibration: MaskerCalibration,
    options: SpeakerMixerOptions = {},
    private readonly earcons?: EarconSource,
  ) {
    const parsed = parseOptions(SpeakerMixerOptionsSchema, options, 'SpeakerMixer');
    this.masker = new Masker(calibration, { ...parsed.masker, mode: parsed.mode });
    this.limiter = new LookaheadLimiter(parsed.limiter);
    this.volumeDbValue = parsed.volumeDb;
    this.volumeGain = 10 ** (parsed.volumeDb / 20);
    this.appliedVolumeGain = this.volumeGain;
    this.englishThreshold = 10 ** (parsed.englishThresholdDbfs / 20);
  }

  get mode(): MaskerMode {
    return this.masker.mode;
  }

  setMode(mode: MaskerMode): void {
    this.masker.setMode(mode);
  }

  get volumeDb(): number {
    return this.volumeDbValue;
  }

  /** Ramps to the new volume over the next frame, so a press does not click. */
  setVolumeDb(volumeDb: number): void {
    if (!(volumeDb >= VOLUME_DB_MIN && volumeDb <= VOLUME_DB_MAX)) {
      throw new RangeError(`volumeDb: must be between ${VOLUME_DB_MIN} and ${VOLUME_DB_MAX} dB, got ${volumeDb}`);
    }
    this.volumeDbValue = volumeDb;
    this.volumeGain = 10 ** (volumeDb / 20);
  }

  /** Delay from input to `out` (the limiter's look-ahead). */
  get latencySamples(): number {
    return this.limiter.latencySamples;
  }

  mixFrame(input: SpeakerMixInput, out: Float32Array): SpeakerFrameReport {
    const { english, micAfterAec } = input;
    const length = out.length;
    if (micAfterAec.length !== length || (english && english.length !== length)) {
      throw new RangeError(
        `SpeakerMixer: frame lengths differ (out ${length}, micAfterAec ${micAfterAec.length}, english ${english?.length ?? 'absent'})`,
      );
    }
    if (this.maskerBuffer.length !== length) this.maskerBuffer = new Float32Array(length);
    let englishActive = false;
    if (english) {
      for (let i = 0; i < length && !englishActive; i++)
        englishActive = Math.abs(english[i] as number) > this.englishThreshold;
    }
    const masker = this.masker.process(
      micAfterAec,
      { wearerSpeaking: input.wearerSpeaking, englishPlaying: englishActive },
      this.maskerBuffer,
    );
    if (english) out.set(english);
    else out.fill(0);
    this.earcons?.mixInto(out);
    const from = this.appliedVolumeGain;
    const step = (this.volumeGain - from) / length;
    for (let i = 0; i < length; i++) {
      out[i] = (out[i] as number) * (from + step * (i + 1)) + (this.maskerBuffer[i] as number);
    }
    this.appliedVolumeGain = this.volumeGain;
    const limiterGainReductionDb = this.limiter.process(out, out);
    return {
      mode: this.masker.mode,
      maskerLevelDbfs: masker.levelDbfs,
      maskerCapped: masker.capped,
      duckGainDb: masker.duckGainDb,
      limiterGainReductionDb,
      englishActive,
    };
  }

  reset(): void {
    this.masker.reset();
    this.limiter.reset();
    this.appliedVolumeGain = this.volumeGain;
  }
}
