/**
 * Simulated acoustics at the child's position for the masker tests: per-band responses
 * (the calibration's leakDb and speakerToListenerDb) applied in the STFT domain as a
 * smooth curve (dB interpolated on log-frequency between band centres, flat beyond, the
 * way a measured response looks, not the masker's own band shapes), band levels in
 * 125 ms blocks (IEC 61672 "fast"), speech activity by an ITU-T P.56-style threshold,
 * and speech-to-masker ratios per band.
 */
import FFT from 'fft.js';
import { SqrtHannStft } from '../../../pipeline/dsp/stft.js';
import { percentile } from '../../../pipeline/metrics/percentile.js';

const RATE_HZ = 16_000;
export const BLOCK_SAMPLES = 2_000; // 125 ms

/** `signal` through a per-band response (dB at each band centre), time-aligned. */
export function applyBandResponse(
  signal: Float32Array,
  bandsHz: readonly number[],
  gainsDb: readonly number[],
): Float32Array {
  const size = 512;
  const hop = size / 2;
  const stft = new SqrtHannStft(size);
  const gains = new Float64Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) {
    const f = Math.max(1, (k * RATE_HZ) / size);
    let db: number;
    if (f <= (bandsHz[0] as number)) db = gainsDb[0] as number;
    else if (f >= (bandsHz[bandsHz.length - 1] as number)) db = gainsDb[gainsDb.length - 1] as number;
    else {
      let b = 0;
      while ((bandsHz[b + 1] as number) < f) b++;
      const t = Math.log(f / (bandsHz[b] as number)) / Math.log((bandsHz[b + 1] as number) / (bandsHz[b] as number));
      db = (gainsDb[b] as number) * (1 - t) + (gainsDb[b + 1] as number) * t;
    }
    gains[k] = 10 ** (db / 20);
  }
  const padded = new Float32Array(Math.ceil(signal.length / hop) * hop + hop);
  padded.set(signal);
  const out = new Float32Array(padded.length);
  const spectrum = new Float32Array(stft.binCount * 2);
  for (let start = 0; start < padded.length; start += hop) {
    stft.analyze(padded.subarray(start, start + hop), spectrum);
    for (let k = 0; k < stft.binCount; k++) {
      spectrum[2 * k] = (spectrum[2 * k] as number) * (gains[k] as number);
      spectrum[2 * k + 1] = (spectrum[2 * k + 1] as number) * (gains[k] as number);
    }
    stft.synthesize(spectrum, out.subarray(start, start + hop));
  }
  return out.slice(hop, hop + signal.length); // the STFT pair delays by one hop
}

/** A copy of `signal` delayed by `delaySamples` (zeros in front), same length. */
export function delayed(signal: Float32Array, delaySamples: number): Float32Array {
  const out = new Float32Array(signal.length);
  out.set(signal.subarray(0, signal.length - delaySamples), delaySamples);
  return out;
}

/**
 * Band powers (mean square of each octave band) per 125 ms block: Hann-windowed 512-point
 * FFTs every 125 samples, bins summed per band (fc/√2 … fc·√2), averaged over the block.
 * Returns `powers[band][block]`.
 */
export function blockBandPowers(signal: Float32Array, bandsHz: readonly number[]): Float64Array[] {
  const size = 512;
  const hop = 125;
  const fft = new FFT(size);
  const window = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  const windowEnergy = window.reduce((sum, w) => sum + w * w, 0);
  const bandOfBin = Int8Array.from({ length: size / 2 }, (_, k) => {
    const f = (k * RATE_HZ) / size;
    return bandsHz.findIndex((fc) => f >= fc / Math.SQRT2 && f < fc * Math.SQRT2);
  });
  const blocks = Math.floor(signal.length / BLOCK_SAMPLES);
  const powers = bandsHz.map(() => new Float64Array(blocks));
  const frame = new Float64Array(size);
  const spectrum = new Float64Array(2 * size);
  const hopsPerBlock = BLOCK_SAMPLES / hop;
  for (let block = 0; block < blocks; block++) {
    for (let h = 0; h < hopsPerBlock; h++) {
      // Window centred on the hop's middle.
      const centre = block * BLOCK_SAMPLES + h * hop + Math.floor(hop / 2);
      for (let i = 0; i < size; i++) {
        const index = centre - size / 2 + i;
        frame[i] = index >= 0 && index < signal.length ? (signal[index] as number) * (window[i] as number) : 0;
      }
      fft.realTransform(spectrum, frame);
      for (let k = 1; k < size / 2; k++) {
        const band = bandOfBin[k] as number;
        if (band < 0) continue;
        const power = (spectrum[2 * k] as number) ** 2 + (spectrum[2 * k + 1] as number) ** 2;
        const row = powers[band] as Float64Array;
        row[block] = (row[block] as number) + (2 * power) / (size * windowEnergy) / hopsPerBlock;
      }
    }
  }
  return powers;
}

/** Broadband mean square per 125 ms block. */
export function blockPowers(signal: Float32Array): Float64Array {
  const blocks = Math.floor(signal.length / BLOCK_SAMPLES);
  const out = new Float64Array(blocks);
  for (let block = 0; block < blocks; block++) {
    let sum = 0;
    for (let i = block * BLOCK_SAMPLES; i < (block + 1) * BLOCK_SAMPLES; i++) sum += (signal[i] as number) ** 2;
    out[block] = sum / BLOCK_SAMPLES;
  }
  return out;
}

/**
 * Speech-active blocks, ITU-T P.56 style: the active level is the mean power of the
 * blocks within 15.9 dB of it (iterated from the loudest block), and a block is active
 * when it is within 15.9 dB of that level. Returns the active flags and the level (dBFS).
 */
export function activeBlocks(powers: Float64Array): { active: boolean[]; activeLevelDbfs: number } {
  const margin = 10 ** (-15.9 / 10);
  let level = Math.max(...powers);
  for (let iteration = 0; iteration < 20; iteration++) {
    const selected = [...powers].filter((p) => p >= level * margin);
    const next = selected.reduce((a, b) => a + b, 0) / selected.length;
    if (Math.abs(next - level) <= level * 1e-9) break;
    level = next;
  }
  return { active: [...powers].map((p) => p >= level * margin), activeLevelDbfs: 10 * Math.log10(level) };
}

export interface SmrBand {
  bandHz: number;
  /** Long-term: total speech over total masker across the active blocks. */
  longTermDb: number;
  /** 50th and 90th percentiles of the per-block ratios over the active blocks. */
  medianDb: number;
  p90Db: number;
  maxDb: number;
}

export function speechToMaskerRatios(
  speechAtChild: Float32Array,
  maskerAtChild: Float32Array,
  bandsHz: readonly number[],
  active: readonly boolean[],
): SmrBand[] {
  const speech = blockBandPowers(speechAtChild, bandsHz);
  const masker = blockBandPowers(maskerAtChild, bandsHz);
  return bandsHz.map((bandHz, b) => {
    const s = speech[b] as Float64Array;
    const m = masker[b] as Float64Array;
    let speechSum = 0;
    let maskerSum = 0;
    const ratios: number[] = [];
    for (let block = 0; block < s.length; block++) {
      if (!active[block]) continue;
      speechSum += s[block] as number;
      maskerSum += m[block] as number;
      ratios.push(10 * Math.log10((s[block] as number) / (m[block] as number)));
    }
    ratios.sort((a, b) => a - b);
    return {
      bandHz,
      longTermDb: 10 * Math.log10(speechSum / maskerSum),
      medianDb: percentile(ratios, 0.5),
      p90Db: percentile(ratios, 0.9),
      maxDb: ratios[ratios.length - 1] as number,
    };
  });
}

/**
 * A stand-in for the endpointer's wearerSpeaking flag per frame: speech when the 10 ms
 * level is within `rangeDb` of the active level, raised `onsetDelayMs` late (detection
 * latency) and held `hangoverMs` after the last speech frame.
 */
export function speakingFlags(
  mic: Float32Array,
  frameSamples: number,
  activeLevelDbfs: number,
  options: { onsetDelayMs: number; hangoverMs: number; rangeDb?: number },
): boolean[] {
  const frames = Math.floor(mic.length / frameSamples);
  const threshold = 10 ** ((activeLevelDbfs - (options.rangeDb ?? 30)) / 10);
  const frameMs = (frameSamples * 1000) / RATE_HZ;
  const raw = Array.from({ length: frames }, (_, f) => {
    let sum = 0;
    for (let i = f * frameSamples; i < (f + 1) * frameSamples; i++) sum += (mic[i] as number) ** 2;
    return sum / frameSamples > threshold;
  });
  const delayFrames = Math.round(options.onsetDelayMs / frameMs);
  const hangFrames = Math.round(options.hangoverMs / frameMs);
  const flags = new Array<boolean>(frames).fill(false);
  let speaking = false;
  let run = 0;
  let silentFor = 0;
  for (let f = 0; f < frames; f++) {
    run = raw[f] ? run + 1 : 0;
    silentFor = raw[f] ? 0 : silentFor + 1;
    if (!speaking && run > delayFrames) speaking = true;
    else if (speaking && silentFor > hangFrames) speaking = false;
    flags[f] = speaking;
  }
  return flags;
}

/**
 * `wearerSpeech` joins recordings made at different gains; on the device the calibrated
 * mic gain holds one wearer's voice at one level. This scales each recording (the runs
 * between stretches of ≥ 100 ms of digital silence) to `activeLevelDbfs`, P.56 style.
 */
export function levelledRecordings(samples: Float32Array, activeLevelDbfs: number): Float32Array {
  const out = new Float32Array(samples.length);
  const minGap = 1_600;
  let start = 0;
  while (start < samples.length) {
    while (start < samples.length && samples[start] === 0) start++;
    let end = start;
    let zeros = 0;
    while (end < samples.length && zeros < minGap) {
      zeros = samples[end] === 0 ? zeros + 1 : 0;
      end++;
    }
    const segment = samples.subarray(start, end);
    if (segment.length >= BLOCK_SAMPLES) {
      const { activeLevelDbfs: level } = activeBlocks(blockPowers(segment));
      const gain = 10 ** ((activeLevelDbfs - level) / 20);
      for (let i = 0; i < segment.length; i++) out[start + i] = (segment[i] as number) * gain;
    }
    start = end;
  }
  return out;
}
