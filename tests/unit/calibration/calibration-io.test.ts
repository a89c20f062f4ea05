/**
 * CalibrationIo over endpoints: the recording lines up with what was played (sample
 * for sample through the simulated loop), a WAV that is too short is refused with both
 * lengths, and cancelling stops the recording.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalibrationIoError, EndpointCalibrationIo } from '../../../calibration/calibration-io.js';
import { WavCapture } from '../../../device/audio/wav-capture.js';
import { writeWav16 } from '../../../device/audio/wav-file.js';
import { SimulatedEchoLoop } from '../../doubles/simulated-echo-loop.js';

function loopIo(loop: SimulatedEchoLoop): EndpointCalibrationIo {
  return new EndpointCalibrationIo({
    openCapture: () => loop.capture,
    openPlayback: () => loop.playback,
    openOuterCapture: loop.outerCapture ? () => loop.outerCapture as NonNullable<typeof loop.outerCapture> : undefined,
    captureDescription: loop.capture.description,
    playbackDescription: loop.playback.description,
  });
}

describe('EndpointCalibrationIo through a simulated loop', () => {
  it('returns the echo of each played sample exactly `delay` samples after playback started', async () => {
    const echoPath = new Float32Array(101);
    echoPath[100] = 0.5;
    const loop = new SimulatedEchoLoop({ echoPath, micNoiseDbfs: Number.NEGATIVE_INFINITY });
    const play = new Float32Array(640);
    play[0] = 0.5;
    play[333] = -0.25;
    const progress: number[] = [];
    const recording = await loopIo(loop).record({
      play,
      lengthSamples: 4_000,
      onProgress: (recorded, total) => progress.push(recorded / total),
    });
    expect(recording.inner).toHaveLength(4_000);
    const start = recording.playbackStartSamples;
    expect(start).toBeGreaterThan(0);
    expect(start % 320).toBe(0);
    const nonZero = [...recording.inner.entries()].filter(([, value]) => value !== 0);
    expect(nonZero).toEqual([
      [start + 100, 0.25],
      [start + 433, -0.125],
    ]);
    expect(progress.at(-1)).toBe(1);
  });

  it('records the outer microphone over the same samples', async () => {
    const loop = new SimulatedEchoLoop({
      echoPath: new Float32Array([0.5]),
      micNoiseDbfs: Number.NEGATIVE_INFINITY,
      outer: { leakPath: new Float32Array([0]), speakerPath: new Float32Array([0, 0.25]), noiseDbfs: -Infinity },
    });
    const play = new Float32Array(320).fill(0.5);
    const recording = await loopIo(loop).record({ play, lengthSamples: 16_000, outer: true });
    const start = recording.playbackStartSamples;
    expect(recording.outer).toHaveLength(16_000);
    expect(start).toBeLessThan(16_000 - 320);
    expect(recording.inner[start]).toBe(0.25);
    expect(recording.outer?.[start]).toBe(0);
    expect(recording.outer?.[start + 1]).toBe(0.125);
  });

  it('refuses to record an outer microphone it was not given', async () => {
    const loop = new SimulatedEchoLoop({ echoPath: new Float32Array([0]), micNoiseDbfs: -80 });
    await expect(loopIo(loop).record({ lengthSamples: 320, outer: true })).rejects.toThrow(/needs an outer microphone/);
  });

  it('stops with "recording cancelled" when aborted, and leaves no listeners behind', async () => {
    const loop = new SimulatedEchoLoop({ echoPath: new Float32Array([0]), micNoiseDbfs: -80 });
    const abort = new AbortController();
    const recording = loopIo(loop).record({ lengthSamples: 16_000 * 600, signal: abort.signal });
    setImmediate(() => abort.abort());
    await expect(recording).rejects.toThrow(CalibrationIoError);
    await expect(recording).rejects.toThrow(/recording cancelled/);
    expect(loop.capture.listenerCount('error')).toBe(0);
    expect(loop.capture.listenerCount('end')).toBe(0);
    const aborted = AbortSignal.abort();
    await expect(loopIo(loop).record({ lengthSamples: 320, signal: aborted })).rejects.toThrow(/recording cancelled/);
  });
});

describe('EndpointCalibrationIo over a WAV recording (offline route)', () => {
  it('reads the file from its first sample, playback taken as starting there', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'collar-cal-io-')), 'rec.wav');
    const samples = Int16Array.from({ length: 8_000 }, (_, i) => (i % 100) * 10);
    writeWav16(path, samples, 16_000);
    const io = new EndpointCalibrationIo({
      openCapture: () => new WavCapture({ path }),
      captureDescription: 'rec.wav',
      playbackDescription: 'external',
    });
    expect(io.externalPlayback).toBe(true);
    const recording = await io.record({ play: new Float32Array(100), lengthSamples: 8_000 });
    expect(recording.playbackStartSamples).toBe(0);
    expect(Array.from(recording.inner.subarray(0, 300), (v) => Math.round(v * 32768))).toEqual(
      Array.from(samples.subarray(0, 300)),
    );
  });

  it('refuses a recording shorter than the step needs, with both lengths', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'collar-cal-io-')), 'short.wav');
    writeWav16(path, new Int16Array(16_000), 16_000);
    const io = new EndpointCalibrationIo({
      openCapture: () => new WavCapture({ path }),
      captureDescription: 'short.wav',
      playbackDescription: 'external',
    });
    await expect(io.record({ lengthSamples: 40_000 })).rejects.toThrow(
      /the recording ended after 1\.0\d s; this step needs 2\.50 s/,
    );
  });
});
