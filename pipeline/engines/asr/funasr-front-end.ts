/**
 * The front end FunASR models (SenseVoice, Paraformer) share, configured from the model's
 * own metadata: Kaldi fbank with the options sherpa-onnx uses for them (Hamming window,
 * snipped edges, int16-scaled samples, 80 bins), low-frame-rate stacking and CMVN.
 */
import { ModelMismatchError } from '../onnx-session.js';
import type { FbankOptionsInput } from './features/fbank-options.js';
import { type FbankMatrix, KaldiFbank, type OnlineFbank } from './features/kaldi-fbank.js';
import { applyCmvn, type LfrOptions, stackLowFrameRate } from './features/low-frame-rate.js';

export const FUNASR_FBANK_OPTIONS: FbankOptionsInput = {
  windowType: 'hamming',
  snipEdges: true,
  melBinCount: 80,
  highFreqHz: 0,
  lowFreqHz: 20,
};

export interface FunasrFrontEndConfig {
  lfr: LfrOptions;
  negMean: Float32Array;
  invStddev: Float32Array;
  /** Samples already in [-1, 1] go in scaled to int16 unless the model says otherwise. */
  normalizeSamples: boolean;
}

function parseVector(metadata: Map<string, string>, key: string, modelPath: string): Float32Array {
  const text = metadata.get(key);
  if (text === undefined) throw new ModelMismatchError(`${modelPath}: metadata "${key}" is missing`);
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isFinite(v))) {
    throw new ModelMismatchError(`${modelPath}: metadata "${key}" is not a list of numbers`);
  }
  return Float32Array.from(values);
}

export function requireIntMetadata(metadata: Map<string, string>, key: string, modelPath: string): number {
  const value = Number(metadata.get(key));
  if (!metadata.has(key) || !Number.isInteger(value)) {
    throw new ModelMismatchError(
      `${modelPath}: metadata "${key}" is ${metadata.has(key) ? 'not an integer' : 'missing'}`,
    );
  }
  return value;
}

export function funasrFrontEndConfig(metadata: Map<string, string>, modelPath: string): FunasrFrontEndConfig {
  const lfr = {
    windowFrames: requireIntMetadata(metadata, 'lfr_window_size', modelPath),
    shiftFrames: requireIntMetadata(metadata, 'lfr_window_shift', modelPath),
  };
  const negMean = parseVector(metadata, 'neg_mean', modelPath);
  const invStddev = parseVector(metadata, 'inv_stddev', modelPath);
  const dims = 80 * lfr.windowFrames;
  if (negMean.length !== dims || invStddev.length !== dims) {
    throw new ModelMismatchError(
      `${modelPath}: CMVN vectors have ${negMean.length}/${invStddev.length} values, expected ${dims} (80 bins × LFR window ${lfr.windowFrames})`,
    );
  }
  return { lfr, negMean, invStddev, normalizeSamples: metadata.get('normalize_samples') === '1' };
}

export function createFunasrFbank(config: FunasrFrontEndConfig): KaldiFbank {
  return new KaldiFbank({ ...FUNASR_FBANK_OPTIONS, inputScale: config.normalizeSamples ? 1 : 32768 });
}

/** The model input for the frames so far: `[frames, 80 × window]`, normalised. */
export function funasrModelInput(online: OnlineFbank, config: FunasrFrontEndConfig): FbankMatrix {
  const stacked = stackLowFrameRate(online.matrix(), config.lfr);
  applyCmvn(stacked, config.negMean, config.invStddev);
  return stacked;
}
