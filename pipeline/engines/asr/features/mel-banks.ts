/**
 * Triangular mel filters over FFT bins, built the way Kaldi's MelBanks builds them:
 * mel(f) = 1127 ln(1 + f / 700), filters equally spaced in mel between the low and high
 * frequencies, weights evaluated at each FFT bin's centre frequency. Kaldi only looks at
 * bins below Nyquist, so the last bin never contributes.
 */
export interface MelFilter {
  firstBin: number;
  weights: Float64Array;
}

export function melScale(freqHz: number): number {
  return 1127 * Math.log(1 + freqHz / 700);
}

export function buildMelBanks(options: {
  melBinCount: number;
  fftLength: number;
  sampleRateHz: number;
  lowFreqHz: number;
  highFreqHz: number;
}): MelFilter[] {
  const { melBinCount, fftLength, sampleRateHz, lowFreqHz } = options;
  const nyquistHz = sampleRateHz / 2;
  const highFreqHz = options.highFreqHz > 0 ? options.highFreqHz : nyquistHz + options.highFreqHz;
  if (lowFreqHz < 0 || lowFreqHz >= nyquistHz || highFreqHz <= lowFreqHz || highFreqHz > nyquistHz) {
    throw new RangeError(
      `mel banks: need 0 ≤ lowFreqHz < highFreqHz ≤ ${nyquistHz} Hz, got ${lowFreqHz}..${highFreqHz} Hz`,
    );
  }
  const fftBinCount = fftLength / 2;
  const fftBinWidthHz = sampleRateHz / fftLength;
  const melLow = melScale(lowFreqHz);
  const melHigh = melScale(highFreqHz);
  const melDelta = (melHigh - melLow) / (melBinCount + 1);

  const filters: MelFilter[] = [];
  for (let bin = 0; bin < melBinCount; bin++) {
    const leftMel = melLow + bin * melDelta;
    const centerMel = melLow + (bin + 1) * melDelta;
    const rightMel = melLow + (bin + 2) * melDelta;
    const dense = new Float64Array(fftBinCount);
    let firstBin = -1;
    let lastBin = -1;
    for (let i = 0; i < fftBinCount; i++) {
      const mel = melScale(fftBinWidthHz * i);
      if (mel > leftMel && mel < rightMel) {
        dense[i] =
          mel <= centerMel ? (mel - leftMel) / (centerMel - leftMel) : (rightMel - mel) / (rightMel - centerMel);
        if (firstBin < 0) firstBin = i;
        lastBin = i;
      }
    }
    if (firstBin < 0) {
      throw new RangeError(
        `mel bin ${bin} covers no FFT bin: too many mel bins (${melBinCount}) for ${fftLength} points`,
      );
    }
    filters.push({ firstBin, weights: dense.slice(firstBin, lastBin + 1) });
  }
  return filters;
}
