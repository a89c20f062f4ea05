/**
 * Reads a WAV file as the pipeline hears audio: mono (channels averaged), 16 kHz
 * (resampled with libsamplerate's one-shot converter when the file is at another rate),
 * floats in [-1, 1]. For the offline tools (`collar denoise`, `collar vad`) and benches.
 */
import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import { readWav } from './wav-file.js';

const { ConverterType, create } = libsamplerate;

export interface PipelineAudio {
  samples: Float32Array;
  sampleRate: typeof PIPELINE_SAMPLE_RATE;
  /** What the file held, for messages. */
  sourceRate: number;
  sourceChannels: number;
}

export function downmixToMono(interleaved: Float32Array, channels: number): Float32Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += interleaved[frame * channels + channel] as number;
    mono[frame] = sum / channels;
  }
  return mono;
}

export async function resampleSignal(
  samples: Float32Array,
  inputRate: number,
  outputRate: number,
): Promise<Float32Array> {
  if (inputRate === outputRate || samples.length === 0) return samples;
  const converter = await create(1, inputRate, outputRate, { converterType: ConverterType.SRC_SINC_BEST_QUALITY });
  try {
    return converter.simple(samples);
  } finally {
    converter.destroy();
  }
}

export async function readPipelineWav(path: string): Promise<PipelineAudio> {
  const wav = readWav(path);
  const mono = downmixToMono(wav.samples, wav.channels);
  return {
    samples: await resampleSignal(mono, wav.sampleRate, PIPELINE_SAMPLE_RATE),
    sampleRate: PIPELINE_SAMPLE_RATE,
    sourceRate: wav.sampleRate,
    sourceChannels: wav.channels,
  };
}
