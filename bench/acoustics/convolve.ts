/**
 * Linear convolution by FFT overlap-add (fft.js), for running long recordings through
 * simulated echo paths and rooms. The output has `signal.length` samples (the tail past
 * the input is cut), which is what a microphone recording of the same length holds.
 */
import FFT from 'fft.js';

export function convolve(signal: Float32Array, impulseResponse: Float32Array): Float32Array {
  const irLength = impulseResponse.length;
  if (irLength === 0) return new Float32Array(signal.length);
  let fftSize = 2;
  while (fftSize < 2 * irLength) fftSize *= 2;
  const blockLength = fftSize - irLength + 1;
  const fft = new FFT(fftSize);
  const irPadded = new Float64Array(fftSize);
  irPadded.set(impulseResponse);
  const irSpectrum = fft.createComplexArray() as number[];
  fft.realTransform(irSpectrum, irPadded);
  fft.completeSpectrum(irSpectrum);

  const output = new Float32Array(signal.length);
  const block = new Float64Array(fftSize);
  const spectrum = fft.createComplexArray() as number[];
  const product = fft.createComplexArray() as number[];
  const timeDomain = fft.createComplexArray() as number[];
  for (let start = 0; start < signal.length; start += blockLength) {
    block.fill(0);
    const end = Math.min(signal.length, start + blockLength);
    for (let i = start; i < end; i++) block[i - start] = signal[i] as number;
    fft.realTransform(spectrum, block);
    fft.completeSpectrum(spectrum);
    for (let k = 0; k < fftSize; k++) {
      const re = spectrum[2 * k] as number;
      const im = spectrum[2 * k + 1] as number;
      const hRe = irSpectrum[2 * k] as number;
      const hIm = irSpectrum[2 * k + 1] as number;
      product[2 * k] = re * hRe - im * hIm;
      product[2 * k + 1] = re * hIm + im * hRe;
    }
    fft.inverseTransform(timeDomain, product);
    const last = Math.min(signal.length, start + fftSize);
    for (let i = start; i < last; i++) output[i] = (output[i] as number) + (timeDomain[2 * (i - start)] as number);
  }
  return output;
}
