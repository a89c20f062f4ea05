/** Analysis windows exactly as Kaldi's FeatureWindowFunction computes them. */
import type { WindowType } from './fbank-options.js';

export function analysisWindow(type: WindowType, lengthSamples: number): Float64Array {
  const window = new Float64Array(lengthSamples);
  // Kaldi uses the symmetric form: the denominator is N - 1.
  const a = (2 * Math.PI) / (lengthSamples - 1);
  for (let i = 0; i < lengthSamples; i++) {
    const hann = 0.5 - 0.5 * Math.cos(a * i);
    switch (type) {
      case 'povey':
        // Hann raised to 0.85: like Hamming, but it reaches zero at the edges.
        window[i] = hann ** 0.85;
        break;
      case 'hamming':
        window[i] = 0.54 - 0.46 * Math.cos(a * i);
        break;
      case 'hanning':
        window[i] = hann;
        break;
      case 'rectangular':
        window[i] = 1;
        break;
    }
  }
  return window;
}
