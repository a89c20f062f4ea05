/**
 * espeak-ng as a ClauseSynthesizer: formant synthesis, tiny (24 MB of data, no model),
 * faster than real time by a factor of several hundred, and the only engine with all of
 * collar's regional accents. Output is mono float at espeak-ng's native 22050 Hz.
 *
 * `rate` 1 is espeak-ng's default 175 words per minute and `pitch` 1 its default pitch 50
 * (on its 0–100 scale); both scale linearly and are clamped to what espeak-ng accepts.
 * A shipped accent that the build's voice data lacks is left out of `voiceNames()` (and
 * listed in `missingVoices`, logged at load); asking for it gives UnknownVoiceError saying so.
 */
import type { Logger } from 'pino';
import { type ClauseSynthesizer, TtsCancelledError, UnknownVoiceError, type VoiceSelection } from '../tts-engine.js';
import { type EspeakProsody, type EspeakRuntime, loadEspeakRuntime } from './espeak-module.js';
import { ESPEAK_ACCENTS, type MissingAccent, type ResolvedAccent, resolveAccents } from './espeak-voices.js';

export const ESPEAK_DEFAULT_WPM = 175;
export const ESPEAK_MIN_WPM = 80;
export const ESPEAK_MAX_WPM = 450;
export const ESPEAK_DEFAULT_PITCH = 50;
export const ESPEAK_MAX_PITCH = 100;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** collar's relative rate and pitch → espeak-ng words per minute and pitch (0–100). */
export function espeakProsody(voice: Pick<VoiceSelection, 'rate' | 'pitch'>): EspeakProsody {
  if (!Number.isFinite(voice.rate) || voice.rate <= 0) {
    throw new RangeError(`espeak-ng: rate must be a positive number, got ${voice.rate}`);
  }
  if (!Number.isFinite(voice.pitch) || voice.pitch < 0) {
    throw new RangeError(`espeak-ng: pitch must be a non-negative number, got ${voice.pitch}`);
  }
  return {
    wordsPerMinute: clamp(Math.round(ESPEAK_DEFAULT_WPM * voice.rate), ESPEAK_MIN_WPM, ESPEAK_MAX_WPM),
    pitch: clamp(Math.round(ESPEAK_DEFAULT_PITCH * voice.pitch), 0, ESPEAK_MAX_PITCH),
  };
}

/**
 * The package's synthesis entry point reads its input as SSML with `[[…]]` phoneme input
 * enabled; plain text is escaped so "<", ">" and "&" are read as text and "[[" cannot switch
 * espeak-ng into phoneme mnemonics.
 */
export function toEspeakInput(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/\[{2,}/g, '[');
}

export interface EspeakEngineOptions {
  logger?: Logger;
  /**
   * Synthesise throwaway audio at load until espeak-ng runs at full speed (up to 1 s, once
   * per process; see EspeakRuntime.warmUp), meant to keep the first clauses from being
   * ~100 ms late. Default false: on the shared 2-core test machine it did not reliably
   * make the first clause faster.
   */
  warmUp?: boolean;
}

export interface EspeakVoiceInfo {
  name: string;
  description: string;
  /** The espeak-ng voice that speaks it, e.g. "gmw/en-GB-x-rp". */
  espeakVoice: string;
}

export class EspeakEngine implements ClauseSynthesizer {
  readonly id = 'espeak-ng';
  readonly sampleRateHz: number;
  /** Shipped accents this build cannot speak (empty for @echogarden/espeak-ng-emscripten 0.3.5). */
  readonly missingVoices: readonly MissingAccent[];
  private readonly voices: ReadonlyMap<string, ResolvedAccent>;
  private disposed = false;

  private constructor(
    private readonly runtime: EspeakRuntime,
    available: readonly ResolvedAccent[],
    missing: readonly MissingAccent[],
  ) {
    this.sampleRateHz = runtime.sampleRateHz;
    this.voices = new Map(available.map((resolved) => [resolved.accent.name.toLowerCase(), resolved]));
    this.missingVoices = missing;
  }

  /** Loads the process's espeak-ng instance (once) and checks which accents its data holds. */
  static async load(options: EspeakEngineOptions = {}): Promise<EspeakEngine> {
    const runtime = await loadEspeakRuntime();
    if (options.warmUp) await runtime.warmUp();
    const { available, missing } = resolveAccents(runtime.dataVoices, ESPEAK_ACCENTS);
    for (const { reason } of missing) options.logger?.warn({ engine: 'espeak-ng' }, `voice left out: ${reason}`);
    return new EspeakEngine(runtime, available, missing);
  }

  voiceNames(): readonly string[] {
    return [...this.voices.values()].map((resolved) => resolved.accent.name);
  }

  describeVoices(): EspeakVoiceInfo[] {
    return [...this.voices.values()].map(({ accent, identifier }) => ({
      name: accent.name,
      description: accent.description,
      espeakVoice: identifier,
    }));
  }

  async synthesizeClause(text: string, voice: VoiceSelection, signal?: AbortSignal): Promise<Float32Array> {
    if (this.disposed) throw new Error('espeak-ng: engine was disposed');
    const resolved = this.resolveVoice(voice.voiceName);
    const prosody = espeakProsody(voice);
    if (signal?.aborted) throw new TtsCancelledError('espeak-ng: cancelled before synthesis', { cause: signal.reason });
    if (!/[\p{L}\p{N}]/u.test(text)) return new Float32Array(0);
    const input = toEspeakInput(text);
    return this.runtime.run((session) => {
      if (!session.selectVoice(resolved.identifier)) {
        throw new UnknownVoiceError(`espeak-ng could not select ${resolved.identifier} for ${resolved.accent.name}`);
      }
      const samples = session.synthesize(input, prosody, () => signal?.aborted === true);
      if (signal?.aborted) throw new TtsCancelledError('espeak-ng: cancelled', { cause: signal.reason });
      return samples;
    }, signal);
  }

  /** Nothing to free per engine: the espeak-ng instance lives as long as the process. */
  async dispose(): Promise<void> {
    this.disposed = true;
  }

  private resolveVoice(name: string): ResolvedAccent {
    const resolved = this.voices.get(name.toLowerCase());
    if (resolved) return resolved;
    const missing = this.missingVoices.find(({ accent }) => accent.name.toLowerCase() === name.toLowerCase());
    const available = this.voiceNames().join(', ');
    throw new UnknownVoiceError(
      missing
        ? `espeak-ng: ${missing.reason}; available voices: ${available}`
        : `espeak-ng has no voice "${name}"; available voices: ${available}`,
    );
  }
}
