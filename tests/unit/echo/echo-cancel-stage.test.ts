/**
 * The echo-cancel stage as a worker runs it: microphone frames in, the playback reference
 * from its own ring, cleaned frames out (int16 in, int16 out), a copy on the tap ring.
 */
import { describe, expect, it } from 'vitest';
import { convolve } from '../../../bench/acoustics/convolve.js';
import { ECHO_PATHS, generateEchoPath } from '../../../bench/acoustics/echo-path.js';
import { energyOf } from '../../../bench/acoustics/levels.js';
import { syntheticSpeech } from '../../../bench/acoustics/synthetic-speech.js';
import { RingBuffer } from '../../../pipeline/bus/ring-buffer.js';
import { floatToInt16 } from '../../../pipeline/dsp/sample-format.js';
import { EchoCancelStage } from '../../../pipeline/stages/echo/echo-cancel-stage.js';
import { recordingStageContext } from '../../doubles/recording-stage-context.js';

const FRAME = 320;

function scenario(seconds: number) {
  const played = syntheticSpeech({ seconds, seed: 3 }).map((v) => v * 3);
  const echoPath = generateEchoPath(ECHO_PATHS['mask-cavity'] as (typeof ECHO_PATHS)[string]);
  return { played, mic: convolve(played, echoPath) };
}

async function run(stage: EchoCancelStage, mic: Float32Array, played: Float32Array, reference?: RingBuffer) {
  const { ctx, frames } = recordingStageContext();
  await stage.start(ctx);
  const micInt = new Int16Array(FRAME);
  const refInt = new Int16Array(FRAME);
  for (let start = 0, seq = 0; start + FRAME <= mic.length; start += FRAME, seq++) {
    if (reference) {
      floatToInt16(played.subarray(start, start + FRAME), refInt);
      reference.push(refInt);
    }
    floatToInt16(mic.subarray(start, start + FRAME), micInt);
    stage.process({ samples: micInt, sampleRate: 16_000, channels: 1, seq, ptsSamples: start });
  }
  const out = new Float32Array(frames.length * FRAME);
  frames.forEach((frame, index) => {
    expect(frame.samples).toBeInstanceOf(Int16Array);
    for (let i = 0; i < FRAME; i++) out[index * FRAME + i] = (frame.samples[i] as number) / 32768;
  });
  return out;
}

describe('EchoCancelStage', () => {
  it('removes the played audio from the microphone using the reference ring, and copies the result to the tap', async () => {
    const { played, mic } = scenario(8);
    const reference = RingBuffer.create('reference', 'int16', 16_000);
    const tap = RingBuffer.create('tap', 'float32', 16_000 * 10);
    const stage = new EchoCancelStage({ referenceRing: reference.describe(), tapRing: tap.describe(), guard: false });
    const out = await run(stage, mic, played, reference);
    const lastSeconds = out.length - 3 * 16_000;
    const erleDb = 10 * Math.log10(energyOf(mic, lastSeconds, out.length) / energyOf(out, lastSeconds, out.length));
    expect(erleDb).toBeGreaterThan(20);
    expect(tap.availableRead()).toBe(out.length);
  });

  it('drops what the speaker played before the first microphone frame, so the reference stays ahead of its echo', async () => {
    const { played, mic } = scenario(8);
    const reference = RingBuffer.create('reference', 'int16', 16_000);
    // 180 ms played before the microphone started: had it been kept, every reference frame
    // would arrive after its own echo.
    reference.push(new Int16Array(180 * 16).fill(3000));
    const stage = new EchoCancelStage({ referenceRing: reference.describe(), guard: false });
    const out = await run(stage, mic, played, reference);
    const lastSeconds = out.length - 3 * 16_000;
    const erleDb = 10 * Math.log10(energyOf(mic, lastSeconds, out.length) / energyOf(out, lastSeconds, out.length));
    expect(stage.droppedReferenceSamples).toBe(180 * 16); // the backlog, not the frame played with the first microphone frame
    expect(erleDb).toBeGreaterThan(20);
  });

  it('passes the microphone through when there is no reference ring (nothing is played)', async () => {
    const { mic } = scenario(2);
    const out = await run(new EchoCancelStage({}), mic, new Float32Array(0));
    // Allow for the canceller's latency: compare energies rather than samples.
    expect(Math.abs(10 * Math.log10(energyOf(out) / energyOf(mic.subarray(0, out.length))))).toBeLessThan(1);
  });

  it('starts from a calibrated echo path: cancels from the first second, where a cold start cannot yet', async () => {
    const { played, mic } = scenario(1);
    const spec = ECHO_PATHS['mask-cavity'] as (typeof ECHO_PATHS)[string];
    const path = generateEchoPath(spec);
    const lead = 16;
    const first = Math.floor(spec.delayMs * 16) - lead;
    const measured = Array.from(path.subarray(first));
    const erleOf = async (options: ConstructorParameters<typeof EchoCancelStage>[0]) => {
      const reference = RingBuffer.create('reference', 'int16', 16_000);
      const out = await run(
        new EchoCancelStage({ ...options, referenceRing: reference.describe(), guard: false }),
        mic,
        played,
        reference,
      );
      return 10 * Math.log10(energyOf(mic, 0, out.length) / energyOf(out));
    };
    const seeded = await erleOf({
      initialDelayMs: spec.delayMs,
      initialImpulseResponse: measured,
      initialImpulseResponseLeadSamples: lead,
    });
    const cold = await erleOf({});
    expect(seeded - cold).toBeGreaterThan(6);
  });

  it('refuses options out of range with a message naming them', () => {
    expect(() => new EchoCancelStage({ initialDelayMs: 900 })).toThrow(/initialDelayMs/);
  });
});
