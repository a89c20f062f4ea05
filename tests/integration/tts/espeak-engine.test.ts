/**
 * The espeak-ng engine on the real wasm build (@echogarden/espeak-ng-emscripten) and its
 * real voice data: every accent collar ships, child-directed sentences, rate, voices,
 * cancellation and the serial queue.
 *
 * Bounds measured on this build (rate 1, pitch 1, the three sentences below, all seven
 * accents): RMS 0.089–0.135, 0.229–0.274 s per word; rate 0.8 / rate 1.2 duration ratio
 * 1.41–1.49. The bounds below leave a wide margin around those.
 *
 * espeak-ng is not bit-exact from call to call: its noise source and waveform state carry
 * over, so the same clause twice differs in samples and by up to ~300 samples in length.
 * "Different accents give different audio" is therefore checked on the long-term average
 * spectrum (32 bands, dB): the same accent twice differs by ≤ 0.13 dB RMS, two accents by
 * ≥ 0.77 dB (measured), so the thresholds are 0.3 and 0.4.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqrtHannStft } from '../../../pipeline/dsp/stft.js';
import { EspeakEngine } from '../../../pipeline/engines/tts/espeak/espeak-engine.js';
import { loadEspeakRuntime } from '../../../pipeline/engines/tts/espeak/espeak-module.js';
import { ESPEAK_ACCENTS } from '../../../pipeline/engines/tts/espeak/espeak-voices.js';
import { TtsCancelledError, UnknownVoiceError, type VoiceSelection } from '../../../pipeline/engines/tts/tts-engine.js';
import { rms } from '../../helpers/audio-level.js';

const ACCENTS = ['en-US', 'en-GB', 'en-GB-scotland', 'en-GB-x-gbclan', 'en-GB-x-gbcwmd', 'en-029', 'en-US-nyc'];
const SENTENCES = ['Time to brush your teeth.', 'Do you want some more rice?', 'Good job, you did it all by yourself!'];
const RMS_FLOOR = 0.03;
const SECONDS_PER_WORD = { min: 0.15, max: 0.45 };

const voice = (voiceName: string, rate = 1, pitch = 1): VoiceSelection => ({ voiceName, rate, pitch });
const words = (text: string) => text.trim().split(/\s+/).length;

function identical(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Long-term average spectrum: mean power in 32 bands of 8 bins (512-point STFT), in dB. */
function averageSpectrum(samples: Float32Array): Float64Array {
  const stft = new SqrtHannStft(512);
  const spectrum = new Float32Array(stft.binCount * 2);
  const bands = new Float64Array(32);
  let frames = 0;
  for (let offset = 0; offset + stft.hopSamples <= samples.length; offset += stft.hopSamples) {
    stft.analyze(samples.slice(offset, offset + stft.hopSamples), spectrum);
    for (let bin = 1; bin < stft.binCount; bin++) {
      const power = (spectrum[2 * bin] as number) ** 2 + (spectrum[2 * bin + 1] as number) ** 2;
      const band = Math.min(31, Math.floor((bin - 1) / 8));
      bands[band] = (bands[band] as number) + power;
    }
    frames++;
  }
  return bands.map((power) => 10 * Math.log10(power / Math.max(1, frames) + 1e-9));
}

/** RMS difference of two clips' average spectra, in dB. */
function spectralDistance(a: Float32Array, b: Float32Array): number {
  const sa = averageSpectrum(a);
  const sb = averageSpectrum(b);
  let sum = 0;
  for (let i = 0; i < sa.length; i++) sum += ((sa[i] as number) - (sb[i] as number)) ** 2;
  return Math.sqrt(sum / sa.length);
}

const SAME_VOICE_MAX_DB = 0.3;
const OTHER_ACCENT_MIN_DB = 0.4;

let engine: EspeakEngine;

beforeAll(async () => {
  engine = await EspeakEngine.load();
});

afterAll(async () => {
  await engine.dispose();
});

describe('EspeakEngine: voices', () => {
  it('offers every accent collar ships, all present in this build, at 22050 Hz', async () => {
    expect(engine.id).toBe('espeak-ng');
    expect(engine.sampleRateHz).toBe(22050);
    expect(engine.voiceNames()).toEqual(ACCENTS);
    expect(engine.missingVoices).toEqual([]);
    expect(ESPEAK_ACCENTS.map((accent) => accent.name)).toEqual(ACCENTS);
  });

  it('speaks en-GB with espeak-ng RP and each regional accent with its own voice file', () => {
    expect(Object.fromEntries(engine.describeVoices().map((v) => [v.name, v.espeakVoice]))).toEqual({
      'en-US': 'gmw/en-US',
      'en-GB': 'gmw/en-GB-x-rp',
      'en-GB-scotland': 'gmw/en-GB-scotland',
      'en-GB-x-gbclan': 'gmw/en-GB-x-gbclan',
      'en-GB-x-gbcwmd': 'gmw/en-GB-x-gbcwmd',
      'en-029': 'gmw/en-029',
      'en-US-nyc': 'gmw/en-US-nyc',
    });
  });

  it('lists the voices the data holds (140 voices, 8 English)', async () => {
    const runtime = await loadEspeakRuntime();
    const english = runtime.dataVoices.filter((v) => v.languages.some((l) => l.name.startsWith('en')));
    expect(english.map((v) => v.identifier).sort()).toEqual([
      'gmw/en',
      'gmw/en-029',
      'gmw/en-GB-scotland',
      'gmw/en-GB-x-gbclan',
      'gmw/en-GB-x-gbcwmd',
      'gmw/en-GB-x-rp',
      'gmw/en-US',
      'gmw/en-US-nyc',
    ]);
    expect(runtime.dataVoices.length).toBeGreaterThan(100);
  });

  it('rejects an unknown voice with UnknownVoiceError listing the voices it has', async () => {
    const attempt = engine.synthesizeClause('Hello.', voice('en-AU'));
    await expect(attempt).rejects.toBeInstanceOf(UnknownVoiceError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('"en-AU"');
    for (const name of ACCENTS) expect(message).toContain(name);
  });

  it('takes voice names in any case', async () => {
    const exact = await engine.synthesizeClause(SENTENCES[0] as string, voice('en-GB-scotland'));
    const lower = await engine.synthesizeClause(SENTENCES[0] as string, voice('en-gb-scotland'));
    expect(spectralDistance(exact, lower)).toBeLessThan(SAME_VOICE_MAX_DB);
  });
});

describe('EspeakEngine: synthesis', () => {
  const audio = new Map<string, Float32Array>();

  beforeAll(async () => {
    for (const accent of ACCENTS) {
      for (const sentence of SENTENCES) {
        audio.set(`${accent}|${sentence}`, await engine.synthesizeClause(sentence, voice(accent)));
      }
    }
  });

  it.each(ACCENTS)('%s says three child-directed sentences: audible, plausible length', (accent) => {
    for (const sentence of SENTENCES) {
      const samples = audio.get(`${accent}|${sentence}`) as Float32Array;
      expect(samples).toBeInstanceOf(Float32Array);
      expect(samples.every((x) => Number.isFinite(x) && Math.abs(x) <= 1)).toBe(true);
      expect(rms(samples), `${accent}: ${sentence}`).toBeGreaterThan(RMS_FLOOR);
      const perWord = samples.length / engine.sampleRateHz / words(sentence);
      expect(perWord, `${accent}: ${sentence}`).toBeGreaterThan(SECONDS_PER_WORD.min);
      expect(perWord, `${accent}: ${sentence}`).toBeLessThan(SECONDS_PER_WORD.max);
    }
  });

  it('gives different audio for the same sentence in each accent, beyond call-to-call variation', async () => {
    for (const sentence of SENTENCES) {
      for (let i = 0; i < ACCENTS.length; i++) {
        const a = audio.get(`${ACCENTS[i]}|${sentence}`) as Float32Array;
        const again = await engine.synthesizeClause(sentence, voice(ACCENTS[i] as string));
        expect(spectralDistance(a, again), `${ACCENTS[i]} twice: ${sentence}`).toBeLessThan(SAME_VOICE_MAX_DB);
        for (let j = i + 1; j < ACCENTS.length; j++) {
          const b = audio.get(`${ACCENTS[j]}|${sentence}`) as Float32Array;
          const pair = `${ACCENTS[i]} vs ${ACCENTS[j]}: ${sentence}`;
          expect(identical(a, b), pair).toBe(false);
          expect(spectralDistance(a, b), pair).toBeGreaterThan(OTHER_ACCENT_MIN_DB);
        }
      }
    }
  });

  it.each(ACCENTS)('%s speaks longer at rate 0.8 than at rate 1.2', async (accent) => {
    const sentence = SENTENCES[2] as string;
    const slow = await engine.synthesizeClause(sentence, voice(accent, 0.8));
    const fast = await engine.synthesizeClause(sentence, voice(accent, 1.2));
    expect(slow.length / fast.length).toBeGreaterThan(1.25);
  });

  it('changes the audio with pitch', async () => {
    const low = await engine.synthesizeClause(SENTENCES[0] as string, voice('en-US', 1, 0.8));
    const high = await engine.synthesizeClause(SENTENCES[0] as string, voice('en-US', 1, 1.2));
    expect(identical(low, high)).toBe(false);
  });

  it("keeps each call's voice and rate when calls overlap", async () => {
    const sentence = SENTENCES[1] as string;
    const [a, b, c] = await Promise.all([
      engine.synthesizeClause(sentence, voice('en-029', 0.85)),
      engine.synthesizeClause(sentence, voice('en-US-nyc', 1.2)),
      engine.synthesizeClause(sentence, voice('en-029', 0.85)),
    ]);
    const aloneA = await engine.synthesizeClause(sentence, voice('en-029', 0.85));
    const aloneB = await engine.synthesizeClause(sentence, voice('en-US-nyc', 1.2));
    expect(spectralDistance(a, aloneA)).toBeLessThan(SAME_VOICE_MAX_DB);
    expect(spectralDistance(c, aloneA)).toBeLessThan(SAME_VOICE_MAX_DB);
    expect(spectralDistance(b, aloneB)).toBeLessThan(SAME_VOICE_MAX_DB);
    expect(Math.abs(b.length - aloneB.length) / aloneB.length).toBeLessThan(0.05);
    expect(a.length / b.length).toBeGreaterThan(1.25);
  });

  it('reads "&", "<" and "[[" as text, not SSML or phoneme input', async () => {
    const samples = await engine.synthesizeClause('Fish & chips <yum> [[yum]]', voice('en-US'));
    expect(rms(samples)).toBeGreaterThan(RMS_FLOOR);
    expect(samples.length / engine.sampleRateHz).toBeGreaterThan(1);
  });

  it('returns no samples for text with nothing to say', async () => {
    expect((await engine.synthesizeClause('  ...  ', voice('en-US'))).length).toBe(0);
  });

  it('runs far faster than real time', async () => {
    const sentence = SENTENCES[2] as string;
    await engine.synthesizeClause(sentence, voice('en-GB'));
    const started = performance.now();
    const samples = await engine.synthesizeClause(sentence, voice('en-GB'));
    const rtf = (performance.now() - started) / 1000 / (samples.length / engine.sampleRateHz);
    expect(rtf).toBeLessThan(0.2);
  });
});

describe('EspeakEngine: cancellation and lifetime', () => {
  it('rejects with TtsCancelledError when the signal is aborted before synthesis starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(engine.synthesizeClause('Hello.', voice('en-US'), controller.signal)).rejects.toBeInstanceOf(
      TtsCancelledError,
    );
  });

  it('drops a queued clause whose signal is aborted while it waits, and runs the rest', async () => {
    const controller = new AbortController();
    const first = engine.synthesizeClause(SENTENCES[2] as string, voice('en-US'));
    const second = engine.synthesizeClause(SENTENCES[2] as string, voice('en-US'), controller.signal);
    const third = engine.synthesizeClause(SENTENCES[0] as string, voice('en-US'));
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(TtsCancelledError);
    expect((await first).length).toBeGreaterThan(0);
    expect((await third).length).toBeGreaterThan(0);
  });

  it('validates rate and pitch', async () => {
    await expect(engine.synthesizeClause('Hi.', voice('en-US', 0))).rejects.toBeInstanceOf(RangeError);
    await expect(engine.synthesizeClause('Hi.', voice('en-US', 1, Number.NaN))).rejects.toBeInstanceOf(RangeError);
  });

  it('refuses to synthesise after dispose; a new engine shares the loaded instance (warmed up)', async () => {
    const other = await EspeakEngine.load({ warmUp: true });
    expect((await other.synthesizeClause('Hi.', voice('en-029'))).length).toBeGreaterThan(0);
    await other.dispose();
    await expect(other.synthesizeClause('Hi.', voice('en-US'))).rejects.toThrow(/disposed/);
    expect((await engine.synthesizeClause('Hi.', voice('en-US'))).length).toBeGreaterThan(0);
  });
});
