/**
 * Speech-like test signal for when ../shared is absent: a glottal pulse train with a
 * wandering pitch, through three formant resonators that change every syllable
 * (about 4 syllables a second), under a syllable envelope with pauses between phrases.
 * It has speech's spectrum slope, modulation and pauses, so AEC, VAD and masker tests
 * behave as they do on real speech; it is labelled "synthetic" wherever it is used.
 */
import { seededRandom } from '../../pipeline/dsp/seeded-random.js';

const VOWEL_FORMANTS_HZ: ReadonlyArray<readonly [number, number, number]> = [
  [730, 1090, 2440],
  [270, 2290, 3010],
  [300, 870, 2240],
  [530, 1840, 2480],
  [570, 840, 2410],
  [660, 1720, 2410],
];

export interface SyntheticSpeechOptions {
  seconds: number;
  seed?: number;
  /** Mean fundamental frequency (higher for a child or a woman). */
  pitchHz?: number;
  sampleRateHz?: number;
}

export function syntheticSpeech(options: SyntheticSpeechOptions): Float32Array {
  const rate = options.sampleRateHz ?? 16_000;
  const random = seededRandom(options.seed ?? 1);
  const length = Math.round(options.seconds * rate);
  const out = new Float32Array(length);
  const basePitchHz = options.pitchHz ?? 180;
  // Resonator state per formant: y[n] = a1 y[n-1] + a2 y[n-2] + x[n].
  const state = new Float64Array(6);
  let phase = 0;
  let position = 0;
  while (position < length) {
    const syllables = 3 + Math.floor(random() * 6);
    for (let s = 0; s < syllables && position < length; s++) {
      const syllableSamples = Math.round((0.16 + 0.14 * random()) * rate);
      const formants = VOWEL_FORMANTS_HZ[Math.floor(random() * VOWEL_FORMANTS_HZ.length)] ?? [500, 1500, 2500];
      const coefficients = formants.map((frequencyHz, index) => {
        const bandwidthHz = 60 + 40 * index;
        const radius = Math.exp((-Math.PI * bandwidthHz) / rate);
        return [2 * radius * Math.cos((2 * Math.PI * frequencyHz) / rate), -radius * radius] as const;
      });
      const pitchHz = basePitchHz * (0.85 + 0.3 * random());
      for (let i = 0; i < syllableSamples && position < length; i++, position++) {
        phase += pitchHz / rate;
        const pulse = phase >= 1 ? 1 : 0;
        if (phase >= 1) phase -= 1;
        const excitation = pulse + 0.02 * (random() - 0.5);
        let sample = 0;
        coefficients.forEach(([a1, a2], f) => {
          const y = a1 * (state[2 * f] as number) + a2 * (state[2 * f + 1] as number) + excitation;
          state[2 * f + 1] = state[2 * f] as number;
          state[2 * f] = y;
          sample += y / (f + 1);
        });
        const envelope = Math.sin((Math.PI * i) / syllableSamples) ** 0.6;
        out[position] = 0.02 * sample * envelope;
      }
    }
    position += Math.round((0.25 + 0.5 * random()) * rate);
  }
  return out;
}
