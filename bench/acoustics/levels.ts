/** Signal levels in dB, the way the acoustic simulations and calibration quote them. */

export function energyOf(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const value = samples[i] as number;
    sum += value * value;
  }
  return sum;
}

/** RMS level relative to full scale (±1.0); -Infinity for digital silence. */
export function rmsDbfs(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  const count = Math.max(1, end - start);
  return 10 * Math.log10(energyOf(samples, start, end) / count);
}

export function dbToGain(gainDb: number): number {
  return 10 ** (gainDb / 20);
}

/** A copy of `samples` scaled so its RMS is `targetDbfs`. */
export function scaledToDbfs(samples: Float32Array, targetDbfs: number): Float32Array {
  const currentDbfs = rmsDbfs(samples);
  if (!Number.isFinite(currentDbfs)) return new Float32Array(samples.length);
  const gain = dbToGain(targetDbfs - currentDbfs);
  return samples.map((value) => value * gain);
}

/** Element-wise sum of signals, as long as the longest. */
export function mixSignals(...signals: ArrayLike<number>[]): Float32Array {
  const length = Math.max(0, ...signals.map((signal) => signal.length));
  const mixed = new Float32Array(length);
  for (const signal of signals)
    for (let i = 0; i < signal.length; i++) mixed[i] = (mixed[i] as number) + (signal[i] as number);
  return mixed;
}
