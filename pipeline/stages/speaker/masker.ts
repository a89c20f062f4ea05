/**
 * The masker: noise shaped to the wearer's leaking voice, loud enough at the child's
 * position to hold the speech-to-masker ratio at the mode's target (docs/masking.md).
 *
 * Per chunk of one analysis hop: the band analyzer measures the cleaned microphone
 * signal, the level tracker follows it (fast attack, hold, slow release), the level
 * control turns the tracked levels into band-noise amplitudes through the calibration
 * chain and the cap, and the noise generator renders them with per-sample ramps. The
 * speech gate opens it while the wearer speaks and the ducker lowers it under English.
 *
 * Input is the microphone after echo cancellation: the masker's own sound must not reach
 * the level tracker, or the loop masker → speaker → microphone → masker could build up;
 * the cap bounds even that case.
 */
import { z } from 'zod';
import { PIPELINE_SAMPLE_RATE } from '../../bus/audio-frame.js';
import { BandAnalyzer } from './band-analyzer.js';
import { BandLevelTracker, type BandLevelTrackerOptions } from './band-level-tracker.js';
import { Ducker, type DuckerOptions } from './ducker.js';
import {
  MASKER_MODES,
  type MaskerCalibration,
  MaskerCalibrationSchema,
  MaskerLevelControl,
  MaskerLevelOptionsSchema,
  type MaskerMode,
} from './masker-level.js';
import { bandLayout } from './octave-bands.js';
import { ShapedNoiseGenerator } from './shaped-noise.js';
import { parseOptions } from './speaker-options.js';
import { SpeechGate, type SpeechGateOptions } from './speech-gate.js';

/** 16 ms Hann window every 5 ms: three bins in the 250 Hz octave, a level update per 5 ms. */
const ANALYSIS_WINDOW_SAMPLES = 256;
const ANALYSIS_HOP_SAMPLES = 80;
/** 31.25 Hz bins, so even the 250 Hz band's triangle is drawn with several points. */
const NOISE_FFT_SIZE = 512;

export const MaskerOptionsSchema = MaskerLevelOptionsSchema.extend({
  tracker: z.custom<BandLevelTrackerOptions>().optional(),
  gate: z.custom<SpeechGateOptions>().optional(),
  ducker: z.custom<DuckerOptions>().optional(),
  seed: z.number().int().min(0).max(0xffffffff).default(0x5eed),
});
export type MaskerOptions = z.input<typeof MaskerOptionsSchema>;

export interface MaskerFlags {
  wearerSpeaking: boolean;
  englishPlaying: boolean;
}

export interface MaskerFrameReport {
  /** RMS level of what the masker emitted this frame (−Infinity for silence). */
  levelDbfs: number;
  /** Level the calibration chain asked for at the end of the frame, before gate and ducking. */
  commandedLevelDbfs: number;
  /** Level it would have asked for without the cap. */
  wantedLevelDbfs: number;
  /** True when the cap limited the masker during this frame. */
  capped: boolean;
  /** Ducking gain at the end of the frame (0 … −duckDb). */
  duckGainDb: number;
  /** Speech gate at the end of the frame, 0 … 1. */
  gateGain: number;
}

export class Masker {
  readonly sampleRateHz = PIPELINE_SAMPLE_RATE;
  private readonly analyzer: BandAnalyzer;
  private readonly tracker: BandLevelTracker;
  private readonly level: MaskerLevelControl;
  private readonly noise: ShapedNoiseGenerator;
  private readonly gate: SpeechGate;
  private readonly ducker: Ducker;
  private readonly currentAmplitudes: Float64Array;
  private readonly targetAmplitudes: Float64Array;

  constructor(calibration: MaskerCalibration, options: MaskerOptions = {}) {
    const parsed = parseOptions(MaskerOptionsSchema, options, 'Masker');
    const layout = bandLayout(
      parseOptions(MaskerCalibrationSchema, calibration, 'masker calibration').bandsHz,
      this.sampleRateHz,
    );
    this.analyzer = new BandAnalyzer(layout, ANALYSIS_WINDOW_SAMPLES, ANALYSIS_HOP_SAMPLES, this.sampleRateHz);
    this.tracker = new BandLevelTracker(
      layout.centresHz.length,
      (ANALYSIS_HOP_SAMPLES * 1000) / this.sampleRateHz,
      parsed.tracker,
    );
    this.noise = new ShapedNoiseGenerator(layout, NOISE_FFT_SIZE, this.sampleRateHz, parsed.seed);
    this.level = new MaskerLevelControl(calibration, this.noise, {
      mode: parsed.mode,
      marginDb: parsed.marginDb,
      maxLevelDbfs: parsed.maxLevelDbfs,
    });
    this.gate = new SpeechGate(this.sampleRateHz, parsed.gate);
    this.ducker = new Ducker(this.sampleRateHz, parsed.ducker);
    this.currentAmplitudes = new Float64Array(layout.centresHz.length);
    this.targetAmplitudes = new Float64Array(layout.centresHz.length);
  }

  get mode(): MaskerMode {
    return this.level.mode;
  }

  get duckDb(): number {
    return this.ducker.duckDb;
  }

  get maxLevelDbfs(): number {
    return this.level.maxLevelDbfs;
  }

  /** Takes effect at the next analysis hop (≤ 5 ms) with a ramp; `off` is exact silence from then on. */
  setMode(mode: MaskerMode): void {
    if (!MASKER_MODES.includes(mode))
      throw new RangeError(`mode: must be one of ${MASKER_MODES.join(', ')}, got ${mode}`);
    this.level.setMode(mode);
  }

  /** Writes this frame's masker into `out` (same length as `mic`). */
  process(mic: Float32Array, flags: MaskerFlags, out: Float32Array): MaskerFrameReport {
    if (out.length !== mic.length) {
      throw new RangeError(`Masker: output has ${out.length} samples for ${mic.length} microphone samples`);
    }
    let capped = false;
    let energy = 0;
    for (let start = 0; start < mic.length; ) {
      const end = Math.min(mic.length, start + this.analyzer.samplesToNextAnalysis);
      if (this.analyzer.push(mic, start, end)) {
        this.tracker.update(this.analyzer.bandPowers);
        capped = this.level.compute(this.tracker.levels, this.targetAmplitudes) || capped;
      }
      this.noise.render(out, start, end, this.currentAmplitudes, this.targetAmplitudes);
      this.currentAmplitudes.set(this.targetAmplitudes);
      for (let i = start; i < end; i++) {
        const gain = this.gate.advance(flags.wearerSpeaking) * this.ducker.advance(flags.englishPlaying);
        const value = gain === 0 ? 0 : (out[i] as number) * gain;
        out[i] = value;
        energy += value * value;
      }
      start = end;
    }
    return {
      levelDbfs: 10 * Math.log10(energy / Math.max(1, mic.length)),
      commandedLevelDbfs: this.level.commandedLevelDbfs,
      wantedLevelDbfs: this.level.wantedLevelDbfs,
      capped,
      duckGainDb: this.ducker.gainDb,
      gateGain: this.gate.gain,
    };
  }

  reset(): void {
    this.analyzer.reset();
    this.tracker.reset();
    this.gate.reset();
    this.ducker.reset();
    this.currentAmplitudes.fill(0);
    this.targetAmplitudes.fill(0);
  }
}
