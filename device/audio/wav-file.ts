/**
 * WAV files in and out, through the `wavefile` library. Reading refuses what the
 * pipeline cannot use and says why: not a WAV, not PCM, an unsupported sample format,
 * a truncated data chunk. Writing is atomic (a temp file renamed into place), so a
 * failed write never leaves a half-written file behind.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Bits per sample as stored ("16", "24", "32", "32f", "8"). */
  bitDepth: string;
  /** Interleaved samples scaled to [-1, 1]. */
  samples: Float32Array;
  frames: number;
}

const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'µ-law',
  17: 'IMA ADPCM',
  85: 'MPEG Layer 3',
};
const SUPPORTED_BIT_DEPTHS = new Set(['8', '16', '24', '32', '32f']);
const CONVERT_HINT = 'convert it first, e.g. `sox in.wav -e signed-integer -b 16 out.wav`';
const EXTENSIBLE = 0xfffe;

interface ParsedWave {
  fmt: { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number };
  data: { chunkSize: number; samples: Uint8Array };
  bitDepth: string;
  getSamples(interleaved: boolean, type: Float32ArrayConstructor): Float32Array;
}

export function readWav(path: string): WavAudio {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new WavFormatError(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError(`${path}: not a WAV file (no RIFF/WAVE header)`);
  }
  let wave: ParsedWave;
  try {
    wave = new WaveFile(bytes) as unknown as ParsedWave;
  } catch (error) {
    throw new WavFormatError(`${path}: unreadable WAV (${(error as Error).message})`);
  }
  const { audioFormat, numChannels, sampleRate, bitsPerSample } = wave.fmt;
  if (audioFormat !== 1 && audioFormat !== 3 && audioFormat !== EXTENSIBLE) {
    const name = FORMAT_NAMES[audioFormat] ?? `format code ${audioFormat}`;
    throw new WavFormatError(`${path}: not PCM (${name}); ${CONVERT_HINT}`);
  }
  if (!SUPPORTED_BIT_DEPTHS.has(wave.bitDepth)) {
    throw new WavFormatError(
      `${path}: unsupported sample format (${bitsPerSample}-bit${audioFormat === 3 ? ' float' : ''}); ` +
        `supported: 8/16/24/32-bit integer, 32-bit float; ${CONVERT_HINT}`,
    );
  }
  if (numChannels < 1 || sampleRate < 1) {
    throw new WavFormatError(`${path}: header says ${numChannels} channels at ${sampleRate} Hz`);
  }
  const blockAlign = (numChannels * bitsPerSample) / 8;
  const presentBytes = wave.data.samples.length;
  if (wave.data.chunkSize > presentBytes || presentBytes % blockAlign !== 0) {
    throw new WavFormatError(
      `${path}: truncated (the header promises ${wave.data.chunkSize} bytes of audio, the file holds ${presentBytes}); ` +
        're-export or re-record it',
    );
  }
  const bitDepth = wave.bitDepth;
  const samples = wave.getSamples(true, Float32Array);
  if (bitDepth !== '32f') {
    // Integer PCM: scale by 2^(bits-1) on both sides of zero, so that 16-bit audio comes
    // back bit-exact when it is written as 16-bit again (wavefile's own conversion is
    // asymmetric). 8-bit WAV is unsigned with its zero at 128.
    const offset = bitDepth === '8' ? 128 : 0;
    const scale = 1 / 2 ** (bitsPerSample - 1);
    for (let i = 0; i < samples.length; i++) samples[i] = ((samples[i] as number) - offset) * scale;
  }
  return { sampleRate, channels: numChannels, bitDepth, samples, frames: samples.length / numChannels };
}

/** Writes 16-bit PCM atomically: a temp file beside the target, renamed into place. */
export function writeWav16(path: string, samples: Int16Array, sampleRate: number, channels = 1): void {
  const wave = new WaveFile();
  wave.fromScratch(channels, sampleRate, '16', samples);
  const tempPath = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(tempPath, wave.toBuffer());
    renameSync(tempPath, path);
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw new Error(`${path}: cannot write the WAV file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}
