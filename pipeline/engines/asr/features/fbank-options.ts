/**
 * Options of the Kaldi-compatible log-mel filterbank, named as in Kaldi's
 * `FbankOptions` / kaldi-native-fbank so a model card's settings can be copied across.
 */
import { z } from 'zod';

export const WINDOW_TYPES = ['povey', 'hamming', 'hanning', 'rectangular'] as const;
export type WindowType = (typeof WINDOW_TYPES)[number];

export const FbankOptionsSchema = z.object({
  sampleRateHz: z.number().int().positive().default(16000),
  frameLengthMs: z.number().positive().default(25),
  frameShiftMs: z.number().positive().default(10),
  melBinCount: z.number().int().min(1).default(80),
  preemphasisCoefficient: z.number().min(0).max(1).default(0.97),
  removeDcOffset: z.boolean().default(true),
  windowType: z.enum(WINDOW_TYPES).default('povey'),
  /** true: only frames that fit entirely inside the signal; false: Kaldi's reflected edges. */
  snipEdges: z.boolean().default(true),
  lowFreqHz: z.number().min(0).default(20),
  /** ≤ 0 counts back from Nyquist, as in Kaldi (0 means Nyquist itself). */
  highFreqHz: z.number().default(0),
  /**
   * Multiply [-1, 1) float samples by this before analysis. Kaldi-trained models (and
   * sherpa-onnx with `normalize_samples = false`) expect int16-scaled input: 32768.
   */
  inputScale: z.number().positive().default(32768),
});
export type FbankOptions = z.infer<typeof FbankOptionsSchema>;
export type FbankOptionsInput = z.input<typeof FbankOptionsSchema>;
