/**
 * TEST HELPER. Hand-built WAV byte strings for edge cases a well-behaved writer never
 * produces (other codecs, odd bit depths, truncation). Valid files come from writeWav16.
 */
export function wavBytes(options: {
  audioFormat?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  data: Buffer;
  declaredDataBytes?: number;
}): Buffer {
  const channels = options.channels ?? 1;
  const sampleRate = options.sampleRate ?? 16_000;
  const bits = options.bitsPerSample ?? 16;
  const blockAlign = (channels * bits) / 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + (options.declaredDataBytes ?? options.data.length), 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(options.audioFormat ?? 1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(Math.round(sampleRate * blockAlign), 28);
  header.writeUInt16LE(Math.max(1, Math.round(blockAlign)), 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(options.declaredDataBytes ?? options.data.length, 40);
  return Buffer.concat([header, options.data]);
}

export function sine(frequencyHz: number, sampleRate: number, seconds: number, amplitude = 0.5): Int16Array {
  const out = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate));
  return out;
}

/** Dominant frequency by counting rising zero crossings (good enough for a pure tone). */
export function zeroCrossingFrequency(samples: ArrayLike<number>, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1] as number) < 0 && (samples[i] as number) >= 0) crossings += 1;
  }
  return (crossings * sampleRate) / samples.length;
}

export function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}
