/**
 * Silero VAD (ONNX, v5 or v6), as shipped inside the @ricky0123/vad-web npm package and
 * loaded through the model store. One call per 512-sample window at 16 kHz (32 ms) gives
 * the probability that the window holds speech. The recurrent state and the 64 samples of
 * context that precede each window (v6 requires them; the v5 reference wrapper sends
 * them too) are carried between calls. Tensors are allocated once.
 */
import { checkModelSignature, createSingleThreadSession, ort } from '../onnx-session.js';

export const VAD_SAMPLE_RATE = 16_000;
export const VAD_WINDOW_SAMPLES = 512;
export const VAD_CONTEXT_SAMPLES = 64;
const STATE_SHAPE = [2, 1, 128];

export const SILERO_SIGNATURE = {
  inputs: [
    { name: 'input', shape: [null, null], type: 'float32' },
    { name: 'state', shape: [2, null, 128], type: 'float32' },
    { name: 'sr', shape: [], type: 'int64' },
  ],
  outputs: [
    { name: 'output', shape: [null, 1], type: 'float32' },
    { name: 'stateN', shape: [null, null, null], type: 'float32' },
  ],
} as const;

export class SileroVad {
  private readonly input = new ort.Tensor('float32', new Float32Array(VAD_CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES), [
    1,
    VAD_CONTEXT_SAMPLES + VAD_WINDOW_SAMPLES,
  ]);
  private readonly sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  private readonly probability = new ort.Tensor('float32', new Float32Array(1), [1, 1]);
  private state = new ort.Tensor('float32', new Float32Array(256), STATE_SHAPE);
  private nextState = new ort.Tensor('float32', new Float32Array(256), STATE_SHAPE);

  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(modelPath: string): Promise<SileroVad> {
    const session = await createSingleThreadSession(modelPath);
    checkModelSignature(session, modelPath, SILERO_SIGNATURE);
    return new SileroVad(session);
  }

  /** Speech probability in [0, 1] for the next 512 samples (floats in [-1, 1]). */
  async probabilityOf(window: Float32Array): Promise<number> {
    if (window.length !== VAD_WINDOW_SAMPLES) {
      throw new RangeError(`Silero VAD takes ${VAD_WINDOW_SAMPLES}-sample windows, got ${window.length}`);
    }
    const input = this.input.data as Float32Array;
    input.set(window, VAD_CONTEXT_SAMPLES);
    await this.session.run(
      { input: this.input, state: this.state, sr: this.sampleRate },
      { output: this.probability, stateN: this.nextState },
    );
    [this.state, this.nextState] = [this.nextState, this.state];
    // The last 64 samples of this window are the next window's context.
    input.copyWithin(0, VAD_WINDOW_SAMPLES);
    return (this.probability.data as Float32Array)[0] as number;
  }

  reset(): void {
    (this.state.data as Float32Array).fill(0);
    (this.input.data as Float32Array).fill(0);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
