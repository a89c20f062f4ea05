/** Types for fft.js (indutny), which ships none. Complex arrays interleave re, im. */
declare module 'fft.js' {
  type NumericArray = number[] | Float64Array | Float32Array;
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Real input of `size` samples; fills bins 0..size/2 of `out` (complex, interleaved). */
    realTransform(out: NumericArray, data: NumericArray): void;
    /** Mirrors bins 1..size/2-1 into the upper half after `realTransform`. */
    completeSpectrum(spectrum: NumericArray): void;
    transform(out: NumericArray, data: NumericArray): void;
    /** Inverse complex transform, divided by `size`. */
    inverseTransform(out: NumericArray, data: NumericArray): void;
  }
}
