/**
 * Ground truth for endpointing, taken from a clean recording's energy with the
 * dual-threshold method of Rabiner & Sambur (1975): 10 ms frames louder than an upper
 * threshold (`upperBelowPeakDb` under the loudest frame) anchor speech, and each anchor
 * is extended outwards while frames stay above a lower threshold (`lowerAboveFloorDb`
 * over the recording's noise floor, its 10th-percentile frame level). Gaps shorter than
 * `maxSyllableGapMs` are bridged, regions shorter than `minSpeechMs` dropped (clicks),
 * and pauses of at least `minPauseMs` separate utterances: by default the endpointer's
 * own trailing silence, so "one utterance" means the same thing on both sides. Works on
 * the clean clip only, so the noise mixed in later cannot move the truth.
 */
export interface TruthOptions {
  sampleRate: number;
  upperBelowPeakDb: number;
  lowerAboveFloorDb: number;
  maxSyllableGapMs: number;
  minSpeechMs: number;
  minPauseMs: number;
}

export const DEFAULT_TRUTH_OPTIONS: TruthOptions = {
  sampleRate: 16_000,
  upperBelowPeakDb: 20,
  lowerAboveFloorDb: 10,
  maxSyllableGapMs: 250,
  minSpeechMs: 100,
  minPauseMs: 300,
};

export interface SampleRange {
  startSample: number;
  endSample: number;
}

export function frameLevelsDb(samples: Float32Array, frameSamples: number): Float64Array {
  const frameCount = Math.floor(samples.length / frameSamples);
  const levels = new Float64Array(frameCount);
  for (let frame = 0; frame < frameCount; frame++) {
    let energy = 0;
    for (let i = frame * frameSamples; i < (frame + 1) * frameSamples; i++) energy += (samples[i] as number) ** 2;
    levels[frame] = 10 * Math.log10(energy / frameSamples + 1e-12);
  }
  return levels;
}

function mergeRanges(ranges: SampleRange[], maxGapSamples: number): SampleRange[] {
  const merged: SampleRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.startSample - last.endSample < maxGapSamples) last.endSample = range.endSample;
    else merged.push({ ...range });
  }
  return merged;
}

export function speechUtterances(samples: Float32Array, options: TruthOptions = DEFAULT_TRUTH_OPTIONS): SampleRange[] {
  const frameSamples = Math.round(options.sampleRate / 100);
  const levels = frameLevelsDb(samples, frameSamples);
  const sorted = Float64Array.from(levels).sort();
  const peakDb = sorted[sorted.length - 1] as number;
  const floorDb = sorted[Math.floor(sorted.length * 0.1)] as number;
  const upperDb = peakDb - options.upperBelowPeakDb;
  const lowerDb = Math.min(upperDb, floorDb + options.lowerAboveFloorDb);
  const active = new Uint8Array(levels.length);
  levels.forEach((levelDb, frame) => {
    if (levelDb < upperDb || active[frame]) return;
    let first = frame;
    while (first > 0 && (levels[first - 1] as number) >= lowerDb) first--;
    let last = frame;
    while (last < levels.length - 1 && (levels[last + 1] as number) >= lowerDb) last++;
    active.fill(1, first, last + 1);
  });
  const ranges: SampleRange[] = [];
  active.forEach((isActive, frame) => {
    if (isActive) ranges.push({ startSample: frame * frameSamples, endSample: (frame + 1) * frameSamples });
  });
  const toSamples = (ms: number) => Math.round((ms * options.sampleRate) / 1_000);
  const syllables = mergeRanges(ranges, toSamples(options.maxSyllableGapMs)).filter(
    (range) => range.endSample - range.startSample >= toSamples(options.minSpeechMs),
  );
  return mergeRanges(syllables, toSamples(options.minPauseMs));
}
