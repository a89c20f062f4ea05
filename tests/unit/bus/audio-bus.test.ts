import { describe, expect, it } from 'vitest';
import { AudioBus } from '../../../pipeline/bus/audio-bus.js';
import { FrameClock, frameLengthSamples } from '../../../pipeline/bus/audio-frame.js';

describe('AudioBus', () => {
  it('exposes each ring’s counters as metrics by name', () => {
    const bus = new AudioBus();
    const mic = bus.create('mic', 'int16', 4);
    bus.create('speaker', 'float32', 8);
    mic.push(new Int16Array(6));
    const metrics = bus.metrics();
    expect(Object.keys(metrics)).toEqual(['mic', 'speaker']);
    expect(metrics.mic).toMatchObject({ capacitySamples: 4, availableSamples: 4, overrunSamples: 2, overrunEvents: 1 });
    expect(metrics.speaker?.availableSamples).toBe(0);
  });

  it('refuses duplicate names and lists the known rings for an unknown one', () => {
    const bus = new AudioBus();
    bus.create('mic', 'int16', 4);
    expect(() => bus.create('mic', 'int16', 4)).toThrow(/already exists/);
    expect(() => bus.get('mik')).toThrow(/no ring named "mik"; known rings: mic/);
  });
});

describe('frames', () => {
  it('fixed frame sizes at 16 kHz', () => {
    expect(frameLengthSamples(10)).toBe(160);
    expect(frameLengthSamples(20)).toBe(320);
  });

  it('FrameClock numbers frames and counts time in samples', () => {
    const clock = new FrameClock();
    const a = clock.stamp(new Int16Array(320));
    const b = clock.stamp(new Int16Array(320), 'utt-1');
    expect([a.seq, a.ptsSamples, b.seq, b.ptsSamples, b.utteranceId]).toEqual([0, 0, 1, 320, 'utt-1']);
    expect('utteranceId' in a).toBe(false);
  });
});
