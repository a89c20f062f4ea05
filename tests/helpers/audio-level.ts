/** Level of a float signal: peak magnitude and RMS (for "is it audible" checks). */
export function audioLevel(samples: Float32Array): { peak: number; rms: number } {
  let peak = 0;
  let sum = 0;
  for (const sample of samples) {
    peak = Math.max(peak, Math.abs(sample));
    sum += sample * sample;
  }
  return { peak, rms: Math.sqrt(sum / Math.max(1, samples.length)) };
}

export const rms = (samples: Float32Array): number => audioLevel(samples).rms;
