/**
 * The feedback guard: the last line against the device translating itself. The echo
 * canceller removes most of the device's own English from the microphone, but not all
 * (a loud, non-linear chest speaker a few centimetres away leaves a residue the
 * recogniser could still take for speech). While the speaker plays, the guard only
 * lets through frames where the wearer is clearly talking over it, and turns every
 * other frame down to silence (with short ramps), so neither the VAD nor the recogniser
 * hears the residue. "Clearly talking over it" means all of: the canceller flags double
 * talk in most of the last few frames (isolated flags come from a non-linear speaker's
 * residue); the cleaned frame stands `marginDb` above the echo expected to remain and no
 * more than `belowEchoDb` under the echo itself (the mouth is centimetres away); and the
 * canceller is converged (running ERLE ≥ `minErleDb`; after the collar moves it reports
 * the loud residue as double talk until it has re-learnt the path). It keeps guarding
 * for `tailMs` after the speaker falls silent, while the echo tail dies away.
 *
 * When nothing has played for that long the guard is transparent.
 */
import type { EchoFrameReport } from '../../dsp/aec/echo-canceller.js';

export interface FeedbackGuardOptions {
  frameSamples: number;
  sampleRateHz?: number;
  /** How far above the expected residual echo a frame must be to count as the wearer. */
  marginDb?: number;
  /** Guarding continues this long after the far end goes quiet (the echo tail). */
  tailMs?: number;
  /** Once the wearer is let through, keep letting them through this long (syllable gaps). */
  holdMs?: number;
  /**
   * The wearer must also be no more than this far below the echo the canceller estimates.
   * Their mouth is centimetres from the microphone, so real barge-in is about as loud as
   * the echo; a residue after an echo-path change that the detector mistakes for double
   * talk is far quieter.
   */
  belowEchoDb?: number;
  /**
   * Double talk is only believed while the canceller's running ERLE is at least this: a
   * canceller that lost the echo path (the collar moved) reports the loud residue as
   * double talk until it has re-converged.
   */
  minErleDb?: number;
  /**
   * How far a guarded frame is turned down. Silero's decision hardly depends on level, so
   * anything short of silence can still be heard as speech: the default is 100 dB.
   */
  attenuationDb?: number;
  /** Double talk must be flagged in `evidenceNeeded` of the last `evidenceFrames` frames to open. */
  evidenceFrames?: number;
  evidenceNeeded?: number;
}

export interface GuardDecision {
  /** True when the frame was replaced with silence. */
  muted: boolean;
  /** True when the speaker is (or was, within tailMs) playing. */
  guarding: boolean;
}

export class FeedbackGuard {
  private readonly marginDb: number;
  private readonly tailFrames: number;
  private readonly holdFrames: number;
  private readonly frameSamples: number;
  private readonly belowEchoDb: number;
  /** Gain applied at the end of the last frame; ramps avoid clicks the VAD could take for onsets. */
  private gain = 1;
  private readonly mutedGain: number;
  private readonly minErleDb: number;
  private trustedErleDb = 0;
  /** The last `evidenceFrames` double-talk decisions, newest in bit 0. */
  private evidence = 0;
  private readonly evidenceMask: number;
  private readonly evidenceNeeded: number;
  private framesSinceFarEnd = Number.POSITIVE_INFINITY;
  private framesSinceNearEnd = Number.POSITIVE_INFINITY;
  private readonly decision: GuardDecision = { muted: false, guarding: false };
  /** Frames replaced with silence, and frames let through while guarding. */
  mutedFrames = 0;
  passedWhileGuardingFrames = 0;

  constructor(options: FeedbackGuardOptions) {
    const frameMs = (options.frameSamples * 1000) / (options.sampleRateHz ?? 16_000);
    this.frameSamples = options.frameSamples;
    this.marginDb = options.marginDb ?? 6;
    this.tailFrames = Math.ceil((options.tailMs ?? 250) / frameMs);
    this.holdFrames = Math.ceil((options.holdMs ?? 300) / frameMs);
    this.minErleDb = options.minErleDb ?? 15;
    const evidenceFrames = options.evidenceFrames ?? 5;
    this.evidenceMask = (1 << evidenceFrames) - 1;
    this.evidenceNeeded = options.evidenceNeeded ?? 4;
    this.belowEchoDb = options.belowEchoDb ?? 12;
    this.mutedGain = 10 ** (-(options.attenuationDb ?? 100) / 20);
    if (
      !(
        evidenceFrames >= 1 &&
        evidenceFrames <= 30 &&
        this.evidenceNeeded >= 1 &&
        this.evidenceNeeded <= evidenceFrames
      )
    ) {
      throw new RangeError(
        `feedback guard: need 1 ≤ evidenceNeeded ≤ evidenceFrames ≤ 30, got ${this.evidenceNeeded} of ${evidenceFrames}`,
      );
    }
    if (!(this.marginDb >= 0)) throw new RangeError(`feedback guard: marginDb must be ≥ 0, got ${options.marginDb}`);
  }

  /**
   * Decide on one cleaned microphone frame; mutes `frame` in place when it is the device's
   * own output. `englishPlayed` (default true) says whether what was played was English:
   * masker noise alone is not guarded, or the wearer it masks would be silenced.
   */
  apply(frame: Float32Array, report: EchoFrameReport, englishPlayed = true): GuardDecision {
    this.framesSinceFarEnd = report.farEndActive && englishPlayed ? 0 : this.framesSinceFarEnd + 1;
    // The English flag comes with the reference, not with its echo: add the bulk delay.
    const delayFrames = Math.ceil(report.bulkDelaySamples / this.frameSamples);
    const guarding = this.framesSinceFarEnd <= this.tailFrames + delayFrames;
    // The canceller's running ERLE, as it stood before any double talk began: missed
    // double-talk frames in the middle of a barge-in would drag the live figure down.
    const quiet = this.evidence === 0 && this.framesSinceNearEnd > this.holdFrames;
    if (quiet && report.farEndActive) this.trustedErleDb = report.erleDb;
    const wearerOverEcho =
      report.doubleTalk &&
      this.trustedErleDb >= this.minErleDb &&
      report.outputDbfs >= report.residualEchoDbfs + this.marginDb &&
      report.outputDbfs >= report.echoEstimateDbfs - this.belowEchoDb;
    // Open only on sustained evidence: isolated double-talk flags come from the residue
    // of a non-linear speaker; a wearer talking over the English gives runs of them.
    this.evidence = ((this.evidence << 1) | (wearerOverEcho ? 1 : 0)) & this.evidenceMask;
    const sustained = popCount(this.evidence) >= this.evidenceNeeded;
    this.framesSinceNearEnd = sustained ? 0 : this.framesSinceNearEnd + 1;
    const muted = guarding && this.framesSinceNearEnd > this.holdFrames;
    const target = muted ? this.mutedGain : 1;
    if (this.gain !== target || target !== 1) {
      // A linear ramp across the frame from the last gain to the new one.
      const step = (target - this.gain) / frame.length;
      for (let i = 0; i < frame.length; i++) frame[i] = (frame[i] as number) * (this.gain + step * (i + 1));
      this.gain = target;
    }
    if (muted) this.mutedFrames += 1;
    else if (guarding) this.passedWhileGuardingFrames += 1;
    this.decision.muted = muted;
    this.decision.guarding = guarding;
    return this.decision;
  }

  reset(): void {
    this.gain = 1;
    this.evidence = 0;
    this.trustedErleDb = 0;
    this.framesSinceFarEnd = Number.POSITIVE_INFINITY;
    this.framesSinceNearEnd = Number.POSITIVE_INFINITY;
  }
}

function popCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}
