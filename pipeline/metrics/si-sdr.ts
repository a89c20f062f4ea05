/**
 * Scale-invariant signal-to-distortion ratio (Le Roux et al., 2019), in dB: how much of
 * `estimate` is a scaled copy of `reference`. Both are mean-removed first, as in the
 * paper's definition. Signals must be time-aligned and of equal length.
 */
export function siSdrDb(reference: Float32Array, estimate: Float32Array): number {
  if (reference.length !== estimate.length) {
    throw new RangeError(`SI-SDR: lengths differ (${reference.length} vs ${estimate.length})`);
  }
  const length = reference.length;
  let referenceMean = 0;
  let estimateMean = 0;
  for (let i = 0; i < length; i++) {
    referenceMean += reference[i] as number;
    estimateMean += estimate[i] as number;
  }
  referenceMean /= length;
  estimateMean /= length;
  let dot = 0;
  let referenceEnergy = 0;
  for (let i = 0; i < length; i++) {
    const r = (reference[i] as number) - referenceMean;
    dot += r * ((estimate[i] as number) - estimateMean);
    referenceEnergy += r * r;
  }
  const scale = dot / referenceEnergy;
  let targetEnergy = 0;
  let noiseEnergy = 0;
  for (let i = 0; i < length; i++) {
    const target = scale * ((reference[i] as number) - referenceMean);
    const noise = (estimate[i] as number) - estimateMean - target;
    targetEnergy += target * target;
    noiseEnergy += noise * noise;
  }
  return 10 * Math.log10(targetEnergy / noiseEnergy);
}
