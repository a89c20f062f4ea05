/** Frame-sequence tests of the masker: chain levels, gate, modes, ducking, cap, feedback. */
import { describe, expect, it } from 'vitest';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { Masker, type MaskerFlags } from '../../../pipeline/stages/speaker/masker.js';
import { blockBandPowers } from '../../integration/speaker/child-position.js';
import { framewise, powerDb, whiteNoise } from './test-signals.js';

const leak = defaultMaskLeak();
const speaking: MaskerFlags = { wearerSpeaking: true, englishPlaying: false };
const silent: MaskerFlags = { wearerSpeaking: false, englishPlaying: false };

function run(masker: Masker, mic: Float32Array, flags: (frame: number) => MaskerFlags, frameSamples = 160) {
  const reports: ReturnType<Masker['process']>[] = [];
  const out = framewise(mic, frameSamples, (inFrame, outFrame, f) =>
    reports.push(masker.process(inFrame, flags(f), outFrame)),
  );
  return { out, reports };
}

const longTermBandsDb = (signal: Float32Array) =>
  blockBandPowers(signal, MASK_BANDS_HZ).map((row) => 10 * Math.log10(row.reduce((a, b) => a + b, 0) / row.length));

describe('Masker', () => {
  it('puts each band at mic level + leakDb − target + margin − speakerToListenerDb, or up to a few dB above', () => {
    const mic = whiteNoise(16_000 * 6, -28, 5);
    const { out } = run(new Masker(leak, { mode: 'full', marginDb: 3 }), mic, () => speaking);
    const settled = 16_000;
    const micDb = longTermBandsDb(mic.subarray(settled));
    const outDb = longTermBandsDb(out.subarray(settled));
    MASK_BANDS_HZ.forEach((_, b) => {
      const wanted =
        (micDb[b] as number) + (leak.leakDb[b] as number) + 15 + 3 - (leak.speakerToListenerDb[b] as number);
      // The tracker rides the peaks of 16 ms band powers, so steady noise reads a little high.
      expect(outDb[b]).toBeGreaterThan(wanted - 0.5);
      expect(outDb[b]).toBeLessThan(wanted + 6);
    });
  });

  it('emits exact silence in off mode', () => {
    const { out } = run(new Masker(leak, { mode: 'off' }), whiteNoise(16_000, -20), () => speaking);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('falls to exact silence once the wearer has stopped for hold + release (150 + 150 ms)', () => {
    const mic = whiteNoise(16_000 * 2, -28);
    const { out, reports } = run(new Masker(leak), mic, (f) => (f < 100 ? speaking : silent));
    expect(powerDb(out, 8000, 16_000)).toBeGreaterThan(-40);
    // Frames 100…114 hold, 115…129 fade; from frame 130 (1.3 s) on, nothing.
    expect(powerDb(out, 100 * 160, 115 * 160)).toBeGreaterThan(-40);
    expect(out.subarray(130 * 160).every((v) => v === 0)).toBe(true);
    expect(reports.at(-1)?.levelDbfs).toBe(Number.NEGATIVE_INFINITY);
    expect(reports.at(-1)?.gateGain).toBe(0);
  });

  it('switches modes at run time: soft is 5 dB under full, off is silent within one 5 ms hop, full comes back', () => {
    const masker = new Masker(leak, { mode: 'full' });
    const mic = whiteNoise(16_000 * 8, -28, 9);
    const { out } = run(masker, mic, (f) => {
      if (f === 200) masker.setMode('soft');
      if (f === 400) masker.setMode('off');
      if (f === 600) masker.setMode('full');
      return speaking;
    });
    const fullDb = powerDb(out, 50 * 160, 200 * 160);
    const softDb = powerDb(out, 250 * 160, 400 * 160);
    // 5 dB by the targets; the rest is the noise's own level spread over 1.5 s.
    expect(Math.abs(fullDb - softDb - 5)).toBeLessThan(1);
    expect(out.subarray(400 * 160 + 80, 600 * 160).every((v) => v === 0)).toBe(true);
    expect(Math.abs(powerDb(out, 650 * 160, 800 * 160) - fullDb)).toBeLessThan(1);
    expect(masker.mode).toBe('full');
    expect(() => masker.setMode('loud' as never)).toThrow(/mode: must be one of off, soft, full, got loud/);
  });

  it('ducks by duckDb within attackMs of the English starting, and comes back after hold + release', () => {
    const mic = whiteNoise(16_000 * 3, -28, 4);
    const english = (f: number) => f >= 100 && f < 150;
    const options = { ducker: { duckDb: 40, attackMs: 10, holdMs: 250, releaseMs: 300 } };
    // Same seed, same input: the two runs differ only by the ducking gain.
    const plain = run(new Masker(leak, options), mic, () => speaking).out;
    const ducked = run(new Masker(leak, options), mic, (f) => ({ wearerSpeaking: true, englishPlaying: english(f) }));
    const start = 100 * 160;
    const gainDbAt = (i: number) => 20 * Math.log10(Math.abs(ducked.out[i] as number) / Math.abs(plain[i] as number));
    expect(gainDbAt(start - 1)).toBeCloseTo(0, 9);
    expect(gainDbAt(start + 159)).toBeCloseTo(-40, 6); // 10 ms = 160 samples after the start
    expect(powerDb(ducked.out, start + 160, 150 * 160) - powerDb(plain, start + 160, 150 * 160)).toBeCloseTo(-40, 6);
    expect(ducked.reports[100]?.duckGainDb).toBe(-40);
    // Back to 0 dB after the 250 ms hold and the 300 ms release: frame 150 + 55.
    expect(gainDbAt(205 * 160 + 10)).toBeCloseTo(0, 9);
  });

  it('caps a shouting wearer at maxLevelDbfs and reports it', () => {
    const shout = whiteNoise(16_000 * 3, -6, 6);
    const { out, reports } = run(new Masker(leak, { mode: 'full', maxLevelDbfs: -20 }), shout, () => speaking);
    expect(reports.slice(10).every((r) => r.capped)).toBe(true);
    expect(reports.at(-1)?.commandedLevelDbfs).toBeCloseTo(-20, 6);
    expect(reports.at(-1)?.wantedLevelDbfs).toBeGreaterThan(-5);
    expect(powerDb(out, 16_000)).toBeLessThan(-19.5);
    const quiet = run(new Masker(leak, { mode: 'full', maxLevelDbfs: -20 }), whiteNoise(16_000, -50), () => speaking);
    expect(quiet.reports.some((r) => r.capped)).toBe(false);
  });

  it('stays bounded when its own sound comes back through the microphone uncancelled, and stops with the wearer', () => {
    // Worst case: no echo cancellation, the speaker heard at −9 dB after 22 ms (mask-cavity path).
    const masker = new Masker(leak, { mode: 'full', maxLevelDbfs: -10 });
    const speech = whiteNoise(16_000 * 4, -28, 8);
    const echoGain = 10 ** (-9 / 20);
    const delaySamples = 352;
    const out = new Float32Array(speech.length);
    const mic = new Float32Array(160);
    const reports = [];
    for (let f = 0; f < speech.length / 160; f++) {
      const talking = f < 200;
      for (let i = 0; i < 160; i++) {
        const n = f * 160 + i;
        mic[i] =
          (talking ? (speech[n] as number) : 0) +
          (n >= delaySamples ? echoGain * (out[n - delaySamples] as number) : 0);
      }
      reports.push(
        masker.process(mic, { wearerSpeaking: talking, englishPlaying: false }, out.subarray(f * 160, (f + 1) * 160)),
      );
    }
    expect(reports.some((r) => r.capped)).toBe(true);
    expect(Math.max(...reports.map((r) => r.commandedLevelDbfs))).toBeLessThanOrEqual(-10 + 1e-9);
    expect(powerDb(out, 100 * 160, 200 * 160)).toBeLessThan(-9);
    expect(out.subarray(235 * 160).every((v) => v === 0)).toBe(true);
  });

  it('gives the same output for 10 ms and 20 ms frames', () => {
    const mic = whiteNoise(16_000, -28, 2);
    const a = run(new Masker(leak), mic, () => speaking, 160).out;
    const b = run(new Masker(leak), mic, () => speaking, 320).out;
    expect(b).toEqual(a);
  });

  it('refuses bad options and a mismatched output buffer', () => {
    expect(() => new Masker(leak, { seed: -1 })).toThrow(/Masker: seed/);
    expect(() => new Masker(leak, { tracker: { holdMs: 5000 } })).toThrow(
      /BandLevelTracker: holdMs: must be between 0 and 2000 ms/,
    );
    expect(() => new Masker({ ...leak, bandsHz: [250, 500, 1000, 2000, 9000] })).toThrow(/bandsHz\[4\]/);
    expect(() => new Masker(leak).process(new Float32Array(160), speaking, new Float32Array(80))).toThrow(
      /80 samples for 160/,
    );
  });
});
