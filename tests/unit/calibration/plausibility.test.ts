/** Plausibility: every reason a measurement cannot be saved is reported, and sound ones pass. */
import { describe, expect, it } from 'vitest';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import type { ImpulseResponseAnalysis } from '../../../calibration/impulse-response.js';
import { type SignalStats, signalStats } from '../../../calibration/level-measurement.js';
import type {
  EchoPathMeasurement,
  MaskLeakMeasurement,
  MicGainMeasurement,
  NoiseFloorMeasurement,
} from '../../../calibration/measurements.js';
import { checkEchoPath, checkMaskLeak, checkMicGain, checkNoiseFloor } from '../../../calibration/plausibility.js';

const live = signalStats(Float32Array.from({ length: 16_000 }, (_, i) => 0.01 * Math.sin(i / 3)));
const silent = signalStats(new Float32Array(16_000));
const clipped: SignalStats = { ...live, clippedSamples: 40, longestClipRun: 9, peakDbfs: 0 };

describe('noise floor', () => {
  const base: NoiseFloorMeasurement = { kind: 'noise', durationSeconds: 3, stats: live, noiseFloorDbfs: -65 };

  it('passes a quiet room', () => {
    expect(checkNoiseFloor(base)).toEqual({ problems: [], warnings: [] });
  });

  it('says "no signal" for digital silence, naming the device check', () => {
    const { problems } = checkNoiseFloor({ ...base, stats: silent, noiseFloorDbfs: Number.NEGATIVE_INFINITY });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^no signal: the microphone delivered digital silence.*collar devices/);
  });

  it('says "no signal" below any microphone’s self-noise, "too loud" above −45 dBFS', () => {
    expect(checkNoiseFloor({ ...base, noiseFloorDbfs: -120 }).problems[0]).toMatch(/^no signal: .*-120\.0 dBFS/);
    expect(checkNoiseFloor({ ...base, noiseFloorDbfs: -30 }).problems[0]).toMatch(
      /^too loud to calibrate: the quiet room measured -30\.0 dBFS \(limit -45 dBFS\)/,
    );
  });

  it('reports clipping and loudness together', () => {
    const { problems } = checkNoiseFloor({ ...base, stats: clipped, noiseFloorDbfs: -20 });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^clipping: 40 samples .*longest run 9/);
    expect(problems[1]).toMatch(/^too loud/);
  });
});

describe('microphone gain', () => {
  const base: MicGainMeasurement = {
    kind: 'gain',
    stats: live,
    speech: { activeLevelDbfs: -32, activityFactor: 0.6, longTermLevelDbfs: -34 },
    levelSpreadDb: 30,
    noiseFloorDbfs: -70,
    targetLevelDbfs: -26,
    gainToTargetDb: 6,
    gainDb: 6,
  };

  it('passes speech well above the room', () => {
    expect(checkMicGain(base)).toEqual({ problems: [], warnings: [] });
  });

  it('refuses clipping, saying to lower the hardware gain', () => {
    expect(checkMicGain({ ...base, stats: clipped }).problems[0]).toMatch(
      /^clipping: .*lower the microphone's hardware gain/,
    );
  });

  it('refuses a recording with no speech in it', () => {
    const { problems } = checkMicGain({ ...base, speech: { ...base.speech, activityFactor: 0.02 } });
    expect(problems).toEqual([expect.stringMatching(/^no speech heard: speech activity 2 %/)]);
  });

  it('refuses a steady signal (noise, hum) that P.56 alone would count as speech', () => {
    const { problems } = checkMicGain({ ...base, speech: { ...base.speech, activityFactor: 1 }, levelSpreadDb: 2.5 });
    expect(problems).toEqual([expect.stringMatching(/^no speech heard: the recording is steady .*vary by 2\.5 dB/)]);
  });

  it('refuses speech too close to the noise floor and a gain beyond ±40 dB, both at once', () => {
    const { problems } = checkMicGain({
      ...base,
      speech: { activeLevelDbfs: -70, activityFactor: 0.5, longTermLevelDbfs: -73 },
      noiseFloorDbfs: -75,
      gainToTargetDb: 44,
      gainDb: 44,
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^speech too close to the room noise: -70\.0 dBFS against .* -75\.0 dBFS/);
    expect(problems[1]).toMatch(/^gain out of range: .* needs 44\.0 dB/);
  });

  it('notes a gain held back by the peaks', () => {
    expect(checkMicGain({ ...base, gainDb: 3 }).warnings[0]).toMatch(/gain held to 3\.0 dB/);
  });
});

describe('echo path', () => {
  const analysis: ImpulseResponseAnalysis = {
    delaySamples: 347,
    delayMs: 21.7,
    gainDb: -9,
    snrDb: 60,
    noiseFloorDb: -90,
    truncationLag: 2000,
    taps: new Float64Array(10),
  };
  const base: EchoPathMeasurement = {
    kind: 'echo',
    excitation: 'exp-sweep',
    stats: live,
    recordedAfterPlaybackSamples: 72_000,
    neededAfterPlaybackSamples: 72_000,
    analysis,
    ioLatencyMs: 21.4,
  };

  it('passes a plausible path', () => {
    expect(checkEchoPath(base)).toEqual({ problems: [], warnings: [] });
  });

  it('says "no signal" for digital silence and for a sweep that was not heard', () => {
    expect(checkEchoPath({ ...base, stats: silent, analysis: undefined }).problems[0]).toMatch(
      /^no signal: .*digital silence/,
    );
    expect(checkEchoPath({ ...base, analysis: { ...analysis, snrDb: 6 } }).problems).toEqual([
      expect.stringMatching(/^no signal: the microphone did not hear the sweep/),
    ]);
  });

  it.each([
    [-4.2, /^delay out of range: -4\.20 ms \(expected 0–300 ms\); the echo arrived before it was played/],
    [412, /^delay out of range: 412\.00 ms \(expected 0–300 ms\); no device adds that much latency/],
  ])('refuses a delay of %f ms', (delayMs, reason) => {
    expect(checkEchoPath({ ...base, analysis: { ...analysis, delayMs } }).problems).toEqual([
      expect.stringMatching(reason),
    ]);
  });

  it('lists every reason at once: clipping, delay, SNR, gain', () => {
    const { problems } = checkEchoPath({
      ...base,
      stats: clipped,
      analysis: { ...analysis, delayMs: 350, snrDb: 14, gainDb: 25 },
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'clipping',
      'delay out of range',
      'SNR too low',
      'echo gain out of range',
    ]);
  });

  it('refuses a recording that stops before the analysis has what it needs', () => {
    expect(checkEchoPath({ ...base, recordedAfterPlaybackSamples: 40_000 }).problems[0]).toMatch(
      /recording after playback started is 2500 ms; the analysis needs 4500 ms/,
    );
  });
});

describe('mask leak', () => {
  const bands = MASK_BANDS_HZ.length;
  const base: MaskLeakMeasurement = {
    kind: 'leak',
    bandsHz: [...MASK_BANDS_HZ],
    innerStats: live,
    outerStats: live,
    speechFrames: 80,
    leakDb: Array(bands).fill(-45),
    speakerToListenerDb: Array(bands).fill(-35),
    outerSpeechSnrDb: Array(bands).fill(20),
    outerSpeakerSnrDb: Array(bands).fill(30),
    outerDistanceCm: 100,
  };

  it('passes a plausible measurement', () => {
    expect(checkMaskLeak(base)).toEqual({ problems: [], warnings: [] });
  });

  it('says "no signal" when the outer microphone is silent', () => {
    expect(checkMaskLeak({ ...base, outerStats: silent }).problems).toEqual([
      expect.stringMatching(/^no signal: the outer microphone delivered digital silence/),
    ]);
  });

  it('refuses a leak above 0 dB (microphones swapped) and an unheard speaker, per band', () => {
    const { problems } = checkMaskLeak({
      ...base,
      leakDb: [-45, 8, -45, -45, -45],
      outerSpeakerSnrDb: [30, 30, 30, 30, 1],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^mask leak \+?8\.0 dB at 500 Hz: .*swapped/),
      expect.stringMatching(/^no signal: the outer microphone did not hear the speaker's noise at 4000 Hz/),
    ]);
  });

  it('keeps a band buried in the outer microphone’s noise as an upper bound, with a note', () => {
    const report = checkMaskLeak({ ...base, outerSpeechSnrDb: [20, 20, 20, 20, 1] });
    expect(report.problems).toEqual([]);
    expect(report.warnings[0]).toMatch(/mask leak at 4000 Hz is below the outer microphone's noise .* upper bound/);
  });
});
