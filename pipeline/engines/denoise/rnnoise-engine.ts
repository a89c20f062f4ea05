/**
 * RNNoise (wasm, weights built in): the embedded fallback when GTCRN is not installed.
 * RNNoise works on 10 ms frames at 48 kHz in int16 scale, so each 10 ms block at 16 kHz
 * goes up through libsamplerate, through RNNoise, and back down. The resamplers release
 * samples in uneven amounts, so the output side keeps a primed queue that never runs dry;
 * the whole chain then has a fixed delay, measured once at load (see measureChainDelay).
 */
import { StreamResampler } from '../../dsp/resampler.js';
import { SampleFifo } from '../../dsp/sample-fifo.js';
import type { DenoiseEngine } from './denoise-engine.js';
import { loadRnnoiseModule, RNNOISE_FRAME_SAMPLES, RNNOISE_SAMPLE_RATE, type RnnoiseModule } from './rnnoise-wasm.js';

const PIPELINE_RATE = 16_000;
const BLOCK_SAMPLES = 160;
const UPSAMPLE_RATIO = RNNOISE_SAMPLE_RATE / PIPELINE_RATE;
/** Output queue priming, at 16 kHz: covers the resamplers' uneven release. */
const OUTPUT_PRIME_SAMPLES = 160;
/** int16 full scale: RNNoise's features are trained on int16-scaled samples. */
const INT16_SCALE = 32_768;
/**
 * RNNoise's output lags its input by two of its frames (20 ms): one for the overlap-add
 * of its 20 ms window, one for the look-ahead buffer of its pitch filter. Measured by
 * correlating output with the clean reference; tests/unit/engines checks the alignment.
 */
const RNNOISE_DELAY_FRAMES = 2;

type FrameProcessor = (frame: Float32Array) => void;

/** Up → 48 kHz frames → down, with the per-frame work injected (RNNoise, or identity to measure delay). */
class ResampledFrameChain {
  private readonly upFifo = new SampleFifo(RNNOISE_FRAME_SAMPLES * 4);
  private readonly outFifo = new SampleFifo(BLOCK_SAMPLES * 8);
  private readonly frame = new Float32Array(RNNOISE_FRAME_SAMPLES);

  private constructor(
    private readonly up: StreamResampler,
    private readonly down: StreamResampler,
    private readonly processFrame: FrameProcessor,
  ) {
    this.outFifo.pushZeros(OUTPUT_PRIME_SAMPLES);
  }

  static async create(processFrame: FrameProcessor): Promise<ResampledFrameChain> {
    const up = await StreamResampler.create(PIPELINE_RATE, RNNOISE_SAMPLE_RATE, BLOCK_SAMPLES, 'medium');
    const down = await StreamResampler.create(RNNOISE_SAMPLE_RATE, PIPELINE_RATE, RNNOISE_FRAME_SAMPLES, 'medium');
    return new ResampledFrameChain(up, down, processFrame);
  }

  /** Returns how many output samples were missing (zero-filled); 0 in steady state. */
  process(input: Float32Array, output: Float32Array): number {
    this.upFifo.push(this.up.process(input));
    while (this.upFifo.lengthSamples >= RNNOISE_FRAME_SAMPLES) {
      this.upFifo.popInto(this.frame);
      this.processFrame(this.frame);
      this.outFifo.push(this.down.process(this.frame));
    }
    return output.length - this.outFifo.popInto(output);
  }

  destroy(): void {
    this.up.destroy();
    this.down.destroy();
  }
}

/**
 * The chain's delay in samples at 16 kHz, found by sending a click through a fresh chain
 * with identity frames: the chain is deterministic for a fixed block size.
 */
async function measureChainDelay(): Promise<number> {
  const chain = await ResampledFrameChain.create(() => {});
  const block = new Float32Array(BLOCK_SAMPLES);
  const output = new Float32Array(BLOCK_SAMPLES);
  const clickAtSample = 4 * BLOCK_SAMPLES;
  let peakSample = -1;
  let peakValue = 0;
  for (let blockIndex = 0; blockIndex < 20; blockIndex++) {
    block.fill(0);
    if (blockIndex * BLOCK_SAMPLES === clickAtSample) block[0] = 1;
    chain.process(block, output);
    for (let i = 0; i < BLOCK_SAMPLES; i++) {
      const value = Math.abs(output[i] as number);
      if (value > peakValue) {
        peakValue = value;
        peakSample = blockIndex * BLOCK_SAMPLES + i;
      }
    }
  }
  chain.destroy();
  return peakSample - clickAtSample;
}

export class RnnoiseEngine implements DenoiseEngine {
  readonly name = 'rnnoise';
  readonly blockSamples = BLOCK_SAMPLES;
  /** Speech probability RNNoise reported for its latest frame (a by-product; the VAD is Silero). */
  lastSpeechProbability = 0;
  private chain: ResampledFrameChain;
  private state: number;
  private readonly heapFramePointer: number;

  private constructor(
    private readonly wasm: RnnoiseModule,
    chain: ResampledFrameChain,
    /** Chain delay plus RNNoise's own delay (see RNNOISE_DELAY_FRAMES). */
    readonly latencySamples: number,
  ) {
    this.chain = chain;
    this.state = wasm._rnnoise_create();
    this.heapFramePointer = wasm._malloc(RNNOISE_FRAME_SAMPLES * 4);
  }

  static async load(): Promise<RnnoiseEngine> {
    const wasm = await loadRnnoiseModule();
    const chainDelaySamples = await measureChainDelay();
    const rnnoiseDelaySamples = (RNNOISE_DELAY_FRAMES * RNNOISE_FRAME_SAMPLES) / UPSAMPLE_RATIO;
    let engine: RnnoiseEngine | undefined;
    const chain = await ResampledFrameChain.create((frame) => engine?.denoiseFrame(frame));
    engine = new RnnoiseEngine(wasm, chain, chainDelaySamples + rnnoiseDelaySamples);
    return engine;
  }

  private denoiseFrame(frame: Float32Array): void {
    const offset = this.heapFramePointer >> 2;
    const heap = this.wasm.HEAPF32; // re-read: the view is replaced if wasm memory grows
    for (let i = 0; i < RNNOISE_FRAME_SAMPLES; i++) heap[offset + i] = (frame[i] as number) * INT16_SCALE;
    this.lastSpeechProbability = this.wasm._rnnoise_process_frame(
      this.state,
      this.heapFramePointer,
      this.heapFramePointer,
    );
    const out = this.wasm.HEAPF32;
    for (let i = 0; i < RNNOISE_FRAME_SAMPLES; i++) frame[i] = (out[offset + i] as number) / INT16_SCALE;
  }

  processBlock(input: Float32Array, output: Float32Array): void {
    this.chain.process(input, output);
  }

  reset(): void {
    // RNNoise has no reset call: a fresh state is the documented way.
    this.wasm._rnnoise_destroy(this.state);
    this.state = this.wasm._rnnoise_create();
  }

  async close(): Promise<void> {
    this.chain.destroy();
    this.wasm._rnnoise_destroy(this.state);
    this.wasm._free(this.heapFramePointer);
  }
}
