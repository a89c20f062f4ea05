/**
 * GTCRN streaming speech enhancement (ONNX). Per 256-sample hop: sqrt-Hann STFT of the
 * last 512 samples → the model's complex mask applied inside the graph → inverse STFT
 * with overlap-add. The model's three recurrent/convolution caches are carried between
 * calls by ping-ponging two preallocated sets of tensors, so nothing is allocated per hop.
 */
import { SqrtHannStft } from '../../dsp/stft.js';
import { checkModelSignature, createSingleThreadSession, ort } from '../onnx-session.js';
import type { DenoiseEngine } from './denoise-engine.js';

const WINDOW_SAMPLES = 512;
const BIN_COUNT = WINDOW_SAMPLES / 2 + 1;
const CACHE_SHAPES = {
  conv_cache: [2, 1, 16, 16, 33],
  tra_cache: [2, 3, 1, 1, 16],
  inter_cache: [2, 1, 33, 16],
} as const;
type CacheName = keyof typeof CACHE_SHAPES;
const CACHE_NAMES = Object.keys(CACHE_SHAPES) as CacheName[];

export const GTCRN_SIGNATURE = {
  inputs: [
    { name: 'mix', shape: [1, BIN_COUNT, 1, 2], type: 'float32' },
    ...CACHE_NAMES.map((name) => ({ name, shape: CACHE_SHAPES[name], type: 'float32' as const })),
  ],
  outputs: [
    { name: 'enh', shape: [1, BIN_COUNT, 1, 2], type: 'float32' },
    ...CACHE_NAMES.map((name) => ({ name: `${name}_out`, shape: CACHE_SHAPES[name], type: 'float32' as const })),
  ],
} as const;

function zeroTensor(shape: readonly number[]): ort.Tensor {
  const length = shape.reduce((product, dim) => product * dim, 1);
  return new ort.Tensor('float32', new Float32Array(length), [...shape]);
}

type CacheSet = Record<CacheName, ort.Tensor>;

function zeroCaches(): CacheSet {
  return {
    conv_cache: zeroTensor(CACHE_SHAPES.conv_cache),
    tra_cache: zeroTensor(CACHE_SHAPES.tra_cache),
    inter_cache: zeroTensor(CACHE_SHAPES.inter_cache),
  };
}

export class GtcrnEngine implements DenoiseEngine {
  readonly name = 'gtcrn';
  readonly blockSamples = WINDOW_SAMPLES / 2;
  /** The synthesis overlap-add completes a hop one hop after it arrives. */
  readonly latencySamples = WINDOW_SAMPLES / 2;
  private readonly stft = new SqrtHannStft(WINDOW_SAMPLES);
  private readonly mix = zeroTensor([1, BIN_COUNT, 1, 2]);
  private readonly enhanced = zeroTensor([1, BIN_COUNT, 1, 2]);
  /** Caches fed to the next run, and the set the run writes into; swapped after each hop. */
  private current = zeroCaches();
  private next = zeroCaches();

  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(modelPath: string): Promise<GtcrnEngine> {
    const session = await createSingleThreadSession(modelPath);
    checkModelSignature(session, modelPath, GTCRN_SIGNATURE);
    return new GtcrnEngine(session);
  }

  async processBlock(input: Float32Array, output: Float32Array): Promise<void> {
    // The mix tensor's layout [1, 257, 1, 2] is exactly the interleaved (re, im) spectrum.
    this.stft.analyze(input, this.mix.data as Float32Array);
    const { current, next } = this;
    await this.session.run(
      { mix: this.mix, conv_cache: current.conv_cache, tra_cache: current.tra_cache, inter_cache: current.inter_cache },
      {
        enh: this.enhanced,
        conv_cache_out: next.conv_cache,
        tra_cache_out: next.tra_cache,
        inter_cache_out: next.inter_cache,
      },
    );
    this.current = next;
    this.next = current;
    this.stft.synthesize(this.enhanced.data as Float32Array, output);
  }

  reset(): void {
    this.stft.reset();
    for (const name of CACHE_NAMES) (this.current[name].data as Float32Array).fill(0);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
