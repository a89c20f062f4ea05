/**
 * The band layout the masker works in: the calibration profile's band centres
 * (MASK_BANDS_HZ, the ANSI S3.5-1997 octave-band SII bands below 8 kHz), each band
 * running between the geometric means of its neighbours' centres (fc/√2 … fc·√2 for
 * octaves). Analysis sums FFT bins rectangularly per band; synthesis shapes noise with
 * triangles on log-frequency that cross between neighbouring centres, so the masker's
 * spectrum has no steps at the band edges.
 */

export interface BandLayout {
  readonly centresHz: readonly number[];
  readonly lowerEdgesHz: readonly number[];
  readonly upperEdgesHz: readonly number[];
}

export function bandLayout(centresHz: readonly number[], sampleRateHz: number): BandLayout {
  const count = centresHz.length;
  if (count === 0) throw new RangeError('bandsHz: needs at least one band centre');
  for (let b = 0; b < count; b++) {
    const centre = centresHz[b] as number;
    if (!(centre > 0) || centre >= sampleRateHz / 2) {
      throw new RangeError(`bandsHz[${b}]: must be between 0 and ${sampleRateHz / 2} Hz (Nyquist), got ${centre}`);
    }
    if (b > 0 && centre <= (centresHz[b - 1] as number)) {
      throw new RangeError(`bandsHz[${b}]: centres must ascend, got ${centre} after ${centresHz[b - 1]}`);
    }
  }
  // The outer edges sit half a spacing beyond the outer centres; a lone band is an octave.
  const first = centresHz[0] as number;
  const last = centresHz[count - 1] as number;
  const lowRatio = count === 1 ? 2 : (centresHz[1] as number) / first;
  const highRatio = count === 1 ? 2 : last / (centresHz[count - 2] as number);
  const lowerEdgesHz = centresHz.map((centre, b) =>
    b === 0 ? first / Math.sqrt(lowRatio) : Math.sqrt(centre * (centresHz[b - 1] as number)),
  );
  const upperEdgesHz = centresHz.map((centre, b) =>
    b === count - 1
      ? Math.min(sampleRateHz / 2, last * Math.sqrt(highRatio))
      : Math.sqrt(centre * (centresHz[b + 1] as number)),
  );
  return { centresHz: [...centresHz], lowerEdgesHz, upperEdgesHz };
}

/**
 * For each FFT bin 0…fftSize/2, the band it belongs to for rectangular band sums, or −1
 * outside every band. Throws if a band would hold no bin (too narrow for this FFT).
 */
export function binBands(layout: BandLayout, fftSize: number, sampleRateHz: number): Int8Array {
  const bins = new Int8Array(fftSize / 2 + 1).fill(-1);
  const counts = new Array<number>(layout.centresHz.length).fill(0);
  for (let k = 1; k < fftSize / 2; k++) {
    const frequencyHz = (k * sampleRateHz) / fftSize;
    for (let b = 0; b < layout.centresHz.length; b++) {
      if (frequencyHz >= (layout.lowerEdgesHz[b] as number) && frequencyHz < (layout.upperEdgesHz[b] as number)) {
        bins[k] = b;
        counts[b] = (counts[b] as number) + 1;
      }
    }
  }
  const empty = counts.indexOf(0);
  if (empty >= 0) {
    throw new RangeError(
      `bandsHz[${empty}]: the ${layout.centresHz[empty]} Hz band holds no bin of a ${fftSize}-point FFT; use wider bands`,
    );
  }
  return bins;
}

/**
 * Power weights per band and bin (`weights[b][k]`): triangles on log-frequency between
 * neighbouring centres, which sum to one for every bin from the lowest band's lower edge
 * to Nyquist (the top band extends flat to Nyquist, where SII's 8 kHz band begins; the
 * bottom band stops at its lower edge, below which speech carries little intelligibility).
 * DC and Nyquist bins are zero.
 */
export function triangularBandWeights(layout: BandLayout, fftSize: number, sampleRateHz: number): Float64Array[] {
  const { centresHz, lowerEdgesHz } = layout;
  const count = centresHz.length;
  const weights = centresHz.map(() => new Float64Array(fftSize / 2 + 1));
  for (let k = 1; k < fftSize / 2; k++) {
    const frequencyHz = (k * sampleRateHz) / fftSize;
    if (frequencyHz < (lowerEdgesHz[0] as number)) continue;
    if (frequencyHz <= (centresHz[0] as number)) {
      (weights[0] as Float64Array)[k] = 1;
      continue;
    }
    if (frequencyHz >= (centresHz[count - 1] as number)) {
      (weights[count - 1] as Float64Array)[k] = 1;
      continue;
    }
    let b = 0;
    while ((centresHz[b + 1] as number) < frequencyHz) b++;
    const upperShare =
      Math.log(frequencyHz / (centresHz[b] as number)) /
      Math.log((centresHz[b + 1] as number) / (centresHz[b] as number));
    (weights[b] as Float64Array)[k] = 1 - upperShare;
    (weights[b + 1] as Float64Array)[k] = upperShare;
  }
  return weights;
}
