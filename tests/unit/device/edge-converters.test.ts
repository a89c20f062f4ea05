/** The device-edge converters with a real ring and a real resampler, and the earcon mixer. */
import { describe, expect, it } from 'vitest';
import { CaptureConverter } from '../../../device/audio/capture-converter.js';
import { PlaybackConverter } from '../../../device/audio/playback-converter.js';
import { EarconOverlay } from '../../../device/outputs/earcon-overlay.js';
import { renderEarcon } from '../../../device/outputs/earcons.js';
import { RingBuffer } from '../../../pipeline/bus/ring-buffer.js';
import { rms, zeroCrossingFrequency } from '../../doubles/wav-bytes.js';

describe('CaptureConverter', () => {
  it('downmixes interleaved stereo 48 kHz to 16 kHz mono in the ring, counting what the ring refused', async () => {
    const ring = RingBuffer.create('mic', 'int16', 1_000);
    const converter = await CaptureConverter.create({ hardwareRate: 48_000, channels: 2, maxChunkFrames: 480, ring });
    const chunk = new Int16Array(960);
    let phase = 0;
    for (let n = 0; n < 10; n++) {
      for (let i = 0; i < 480; i++, phase++) {
        const v = Math.round(8000 * Math.sin((2 * Math.PI * 500 * phase) / 48_000));
        chunk[2 * i] = v;
        chunk[2 * i + 1] = v;
      }
      converter.accept(chunk);
    }
    // 100 ms of audio = ~1600 samples at 16 kHz, but the ring holds 1000: the rest is an overrun.
    expect(ring.availableRead()).toBe(1_000);
    expect(converter.deliveredSamples).toBe(1_000);
    expect(ring.stats().overrunSamples).toBeGreaterThan(400);
    const out = new Int16Array(1_000);
    ring.pop(out);
    expect(zeroCrossingFrequency(out.subarray(200), 16_000)).toBeCloseTo(500, -2);
    converter.destroy();
  });
});

describe('PlaybackConverter', () => {
  it('plays silence and counts an underrun when the ring is empty (live), waits when offline', async () => {
    const ring = RingBuffer.create('speaker', 'int16', 3_200);
    const converter = await PlaybackConverter.create({
      hardwareRate: 16_000,
      channels: 2,
      frameLengthSamples: 320,
      maxChunkFrames: 160,
      ring,
    });
    const out = new Int16Array(320);
    expect(converter.fill(out, 160, false)).toBe(0);
    expect(converter.fill(out, 160, true)).toBe(160);
    expect(converter.underrunFrames).toBe(1);
    ring.push(new Int16Array(320).fill(1234));
    converter.fill(out, 160, true); // the rest of the silent frame
    converter.fill(out, 160, true);
    expect(Array.from(out.subarray(0, 4))).toEqual([1234, 1234, 1234, 1234]);
    expect(converter.framesPlayed).toBe(1);
    ring.close();
    converter.fill(out, 160, false);
    expect(converter.sourceFinished()).toBe(true);
    converter.destroy();
  });

  it('mixes earcons over silence at the edge, so the wearer hears them with the pipeline idle', async () => {
    const ring = RingBuffer.create('speaker', 'int16', 3_200);
    const overlay = new EarconOverlay();
    const converter = await PlaybackConverter.create({
      hardwareRate: 16_000,
      channels: 1,
      frameLengthSamples: 320,
      maxChunkFrames: 320,
      ring,
      overlay,
    });
    const earcon = renderEarcon('englishComing');
    overlay.enqueue(earcon);
    const out = new Int16Array(earcon.length + 640);
    for (let offset = 0; offset < out.length; offset += 320)
      converter.fill(out.subarray(offset, offset + 320), 320, true);
    expect(Array.from(out.subarray(0, earcon.length))).toEqual(Array.from(earcon));
    expect(rms(out, earcon.length + 320)).toBe(0);
    expect(overlay.pending()).toBe(0);
    converter.destroy();
  });
});

describe('EarconOverlay', () => {
  it('clips instead of wrapping and keeps at most maxQueued earcons, counting drops', () => {
    const overlay = new EarconOverlay(2);
    overlay.enqueue(new Int16Array(4).fill(20_000));
    const frame = new Float32Array(4).fill(0.9);
    overlay.mixInto(frame);
    expect(Array.from(frame)).toEqual([1, 1, 1, 1]);
    overlay.enqueue(new Int16Array(2));
    overlay.enqueue(new Int16Array(2));
    overlay.enqueue(new Int16Array(2));
    expect(overlay.pending()).toBe(2);
    expect(overlay.droppedEarcons).toBe(1);
  });
});
