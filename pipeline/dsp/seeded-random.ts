/**
 * A small seeded PRNG (mulberry32) and Gaussian draws from it, so every stimulus, masker
 * noise and simulated room is the same on every run with the same seed. One copy for the
 * product (calibration excitation, the masker) and the simulations.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller from a uniform source (the cosine of each pair). */
export function gaussianSource(uniform: () => number): () => number {
  return () => {
    const radius = Math.sqrt(-2 * Math.log(Math.max(uniform(), 1e-12)));
    return radius * Math.cos(2 * Math.PI * uniform());
  };
}

/**
 * Standard normal draws by Box–Muller using both values of each pair (half the uniform
 * draws of gaussianSource; a different sequence for the same seed).
 */
export function gaussianPairSource(uniform: () => number): () => number {
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const value = spare;
      spare = Number.NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(Math.max(uniform(), 1e-12)));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
