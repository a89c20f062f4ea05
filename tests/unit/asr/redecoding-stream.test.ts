import { describe, expect, it } from 'vitest';
import { AsrCancelledError, type AsrHypothesis } from '../../../pipeline/engines/asr/asr-engine.js';
import { RedecodingStream, type SegmentDecoder } from '../../../pipeline/engines/asr/redecoding-stream.js';

/** Test double: "decodes" a segment to the number of samples it holds, after a delay. */
class CountingDecoderDouble implements SegmentDecoder<{ samples: number }> {
  decodeCalls = 0;
  constructor(private readonly decodeDelayMs = 5) {}
  createFrontEnd() {
    return { samples: 0 };
  }
  accept(frontEnd: { samples: number }, samples: Float32Array) {
    frontEnd.samples += samples.length;
  }
  async decode(frontEnd: { samples: number }) {
    this.decodeCalls++;
    const count = frontEnd.samples;
    await new Promise((resolve) => setTimeout(resolve, this.decodeDelayMs));
    return { text: String(count), tokenIds: [] };
  }
}

const chunk = new Float32Array(320); // 20 ms at 16 kHz

describe('RedecodingStream', () => {
  it('offers a partial every interval of new audio and a final at finish', async () => {
    const decoder = new CountingDecoderDouble(0);
    const partials: AsrHypothesis[] = [];
    const stream = new RedecodingStream(decoder, 16000, { partialIntervalMs: 400, onPartial: (h) => partials.push(h) });
    for (let i = 0; i < 60; i++) {
      stream.accept(chunk);
      // Real time between frames lets each partial decode finish before the next is due.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const final = await stream.finish();
    expect(partials.map((p) => p.text)).toEqual(['6400', '12800', '19200']);
    expect(partials.every((p) => !p.isFinal)).toBe(true);
    expect(final).toMatchObject({ text: '19200', isFinal: true, audioMs: 1200 });
  });

  it('never runs two decodes at once: a partial due while one runs is skipped', async () => {
    const decoder = new CountingDecoderDouble(50);
    const partials: string[] = [];
    const stream = new RedecodingStream(decoder, 16000, {
      partialIntervalMs: 100,
      onPartial: (h) => partials.push(h.text),
    });
    for (let i = 0; i < 30; i++) stream.accept(chunk); // 600 ms arrive at once
    const final = await stream.finish();
    expect(partials).toEqual(['1600']);
    expect(decoder.decodeCalls).toBe(2);
    expect(final.text).toBe('9600');
  });

  it('without onPartial, only the final decode runs', async () => {
    const decoder = new CountingDecoderDouble(0);
    const stream = new RedecodingStream(decoder, 16000, { partialIntervalMs: 100 });
    for (let i = 0; i < 30; i++) stream.accept(chunk);
    await stream.finish();
    expect(decoder.decodeCalls).toBe(1);
  });

  it('cancel drops the partial in flight and makes finish reject', async () => {
    const decoder = new CountingDecoderDouble(20);
    const partials: string[] = [];
    const stream = new RedecodingStream(decoder, 16000, {
      partialIntervalMs: 100,
      onPartial: (h) => partials.push(h.text),
    });
    for (let i = 0; i < 10; i++) stream.accept(chunk);
    stream.cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(partials).toEqual([]);
    await expect(stream.finish()).rejects.toBeInstanceOf(AsrCancelledError);
  });

  it('cancel while the final text is being decoded still makes finish reject', async () => {
    const stream = new RedecodingStream(new CountingDecoderDouble(30), 16000, {});
    stream.accept(chunk);
    const finishing = stream.finish();
    setTimeout(() => stream.cancel(), 5);
    await expect(finishing).rejects.toBeInstanceOf(AsrCancelledError);
  });
});
