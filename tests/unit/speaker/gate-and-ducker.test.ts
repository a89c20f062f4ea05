/** The speech gate (masker on while the wearer speaks) and the ducker (masker down under English). */
import { describe, expect, it } from 'vitest';
import { Ducker } from '../../../pipeline/stages/speaker/ducker.js';
import { SpeechGate } from '../../../pipeline/stages/speaker/speech-gate.js';

const RATE = 16_000;
const samples = (ms: number) => Math.round((ms * RATE) / 1000);

describe('SpeechGate', () => {
  it('opens over attackMs, holds holdMs after the wearer stops, then closes to exactly zero over releaseMs', () => {
    const gate = new SpeechGate(RATE, { attackMs: 5, holdMs: 150, releaseMs: 150 });
    let gain = 0;
    for (let i = 0; i < samples(5); i++) gain = gate.advance(true);
    expect(gain).toBeCloseTo(1, 9);
    for (let i = 0; i < samples(150); i++) gain = gate.advance(false);
    expect(gain).toBe(1);
    for (let i = 0; i < samples(75); i++) gain = gate.advance(false);
    expect(gain).toBeCloseTo(0.5, 3);
    for (let i = 0; i < samples(76); i++) gain = gate.advance(false);
    expect(gain).toBe(0);
  });

  it('names a bad option and its range', () => {
    expect(() => new SpeechGate(RATE, { holdMs: -1 })).toThrow(
      /SpeechGate: holdMs: must be between 0 and 2000 ms, got -1/,
    );
  });
});

describe('Ducker', () => {
  it('reaches the full depth exactly attackMs after the English starts', () => {
    const ducker = new Ducker(RATE, { duckDb: 40, attackMs: 10 });
    const gainsDb: number[] = [];
    for (let i = 0; i < samples(12); i++) {
      ducker.advance(true);
      gainsDb.push(ducker.gainDb);
    }
    expect(gainsDb[samples(10) - 2]).toBeGreaterThan(-40);
    expect(gainsDb[samples(10) - 1]).toBe(-40);
    expect(Math.min(...gainsDb)).toBe(-40);
    expect(20 * Math.log10(ducker.advance(true))).toBeCloseTo(-40, 9);
  });

  it('holds through a pause in the English, then releases back to 0 dB over releaseMs', () => {
    const ducker = new Ducker(RATE, { duckDb: 40, attackMs: 10, holdMs: 250, releaseMs: 300 });
    for (let i = 0; i < samples(50); i++) ducker.advance(true);
    for (let i = 0; i < samples(250); i++) ducker.advance(false);
    expect(ducker.gainDb).toBe(-40);
    for (let i = 0; i < samples(150); i++) ducker.advance(false);
    expect(ducker.gainDb).toBeCloseTo(-20, 6);
    for (let i = 0; i < samples(150); i++) ducker.advance(false);
    expect(ducker.gainDb).toBe(0);
    expect(ducker.advance(false)).toBe(1);
  });

  it('refuses an attack slower than 20 ms and a depth outside 6…100 dB', () => {
    expect(() => new Ducker(RATE, { attackMs: 25 })).toThrow(
      /Ducker: attackMs: must be more than 0 and at most 20 ms, got 25/,
    );
    expect(() => new Ducker(RATE, { duckDb: 3 })).toThrow(/duckDb: must be between 6 and 100 dB, got 3/);
  });
});
