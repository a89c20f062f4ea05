/**
 * Kokoro-82M (StyleTTS 2 + iSTFTNet, kokoro-onnx's int8 ONNX export) on onnxruntime-node,
 * 24 kHz. Loaded from the model store (`KokoroEngine.load(store)`, entry `kokoro-82m`:
 * the model in four parts joined and checked here, config.json with the phoneme
 * vocabulary, one `.bin` per voice) or from paths.
 *
 * Synthesis, as kokoro-onnx does it: espeak-ng IPA in the voice's language (af_/am_:
 * en-us, bf_/bm_: en-gb), Kokoro's fixes to it and its vocabulary (kokoro-tokens.ts), at
 * most 510 phonemes per call (a longer clause is split at punctuation or a space and the
 * pieces' audio joined); the model gets `tokens` int64 [1, n + 2] (the ids wrapped in pad
 * 0), `style` float32 [1, 256] (the voice's row for n phonemes) and `speed` float32 [1]
 * (= `rate`), and returns `audio` float32 [samples]. Kokoro has no pitch control: `pitch`
 * is ignored.
 *
 * One session; one intra-op thread unless told otherwise (DESIGN.md principle 6); calls
 * are serialised.
 */

import type { Logger } from '../../../logging/logger.js';
import { ModelStore } from '../../../models/index.js';
import { checkModelSignature, createSingleThreadSession, type ExpectedTensor, ort } from '../../onnx-session.js';
import { phonemize as espeakPhonemize } from '../espeak/espeak-phonemizer.js';
import { concatAudio, throwIfCancelled, VoiceModelSession } from '../synthesis-helpers.js';
import { type ClauseSynthesizer, UnknownVoiceError, type VoiceSelection } from '../tts-engine.js';
import { joinParts, KOKORO_INT8_ONNX, orderedParts, type WholeFile } from './kokoro-model-file.js';
import {
  chunkTokens,
  KOKORO_PAD_ID,
  type KokoroLanguage,
  type KokoroVocab,
  kokoroLanguageOf,
  kokoroPhonemes,
  readKokoroVocab,
  tokenize,
} from './kokoro-tokens.js';
import { KOKORO_STYLE_DIM, KokoroVoice } from './kokoro-voices.js';

export const KOKORO_82M = 'kokoro-82m';
export const KOKORO_SAMPLE_RATE_HZ = 24_000;
const CONFIG_FILE = 'config.json';

export const KOKORO_SIGNATURE: { inputs: ExpectedTensor[]; outputs: ExpectedTensor[] } = {
  inputs: [
    { name: 'tokens', shape: [1, null], type: 'int64' },
    { name: 'style', shape: [1, KOKORO_STYLE_DIM], type: 'float32' },
    { name: 'speed', shape: [1], type: 'float32' },
  ],
  outputs: [{ name: 'audio', shape: [null], type: 'float32' }],
};

/** Text → IPA in an espeak-ng voice (default: espeak-phonemizer.ts; several lines are joined). */
export type Phonemizer = (text: string, voiceName: string, options?: { signal?: AbortSignal }) => Promise<string>;

export interface KokoroModelPaths {
  /** The ONNX model: one file, or its parts in order (joined and checked against `wholeFile`). */
  model: string | readonly string[];
  /** config.json with `vocab`. */
  config: string;
  /** Voice files, `<voice>.bin`. */
  voices: readonly string[];
}

export interface KokoroEngineOptions {
  /** Catalog id when loading from a store (default `kokoro-82m`). */
  modelId?: string;
  /** Voices to load (default: every voice file there is). */
  voices?: readonly string[];
  /** What the joined parts must be (default: kokoro-onnx's kokoro-v1.0.int8.onnx). */
  wholeFile?: WholeFile;
  /** Intra-op threads of the session (default 1). */
  intraOpThreads?: number;
  phonemize?: Phonemizer;
  logger?: Logger;
}

const voiceNameOf = (path: string): string => (path.split('/').pop() ?? path).replace(/\.bin$/, '');

function pickVoices(available: readonly string[], wanted: readonly string[] | undefined): string[] {
  if (!wanted) return [...available];
  const names = available.map(voiceNameOf);
  return wanted.map((voice) => {
    const index = names.indexOf(voice);
    if (index < 0)
      throw new UnknownVoiceError(`Kokoro voice "${voice}" is not available; there are ${names.join(', ')}`);
    return available[index] as string;
  });
}

async function pathsFromStore(
  store: ModelStore,
  modelId: string,
  whole: WholeFile,
  voices: readonly string[] | undefined,
): Promise<KokoroModelPaths> {
  const names = store.spec(modelId).files.map((file) => file.name);
  const parts = orderedParts(names, whole.name);
  const modelNames = parts.length > 0 ? parts : names.filter((name) => name === whole.name);
  if (modelNames.length === 0)
    throw new Error(`the catalog entry ${modelId} has neither ${whole.name} nor its parts (${whole.name}.part1, …)`);
  const resolve = (name: string) => store.resolveFile(modelId, name);
  const voiceFiles = pickVoices(
    names.filter((name) => name.endsWith('.bin')),
    voices,
  );
  const modelPaths: string[] = [];
  for (const name of modelNames) modelPaths.push(await resolve(name));
  const voicePaths: string[] = [];
  for (const name of voiceFiles) voicePaths.push(await resolve(name));
  return {
    model: parts.length > 0 ? modelPaths : (modelPaths[0] as string),
    config: await resolve(CONFIG_FILE),
    voices: voicePaths,
  };
}

interface LoadedVoice {
  voice: KokoroVoice;
  language: KokoroLanguage;
}

export class KokoroEngine implements ClauseSynthesizer {
  readonly id = 'kokoro';
  readonly sampleRateHz = KOKORO_SAMPLE_RATE_HZ;
  private readonly model: VoiceModelSession;
  private readonly reportedMissing = new Set<string>();

  private constructor(
    session: ort.InferenceSession,
    readonly vocab: KokoroVocab,
    private readonly voices: ReadonlyMap<string, LoadedVoice>,
    private readonly phonemize: Phonemizer,
    private readonly logger: Logger | undefined,
  ) {
    this.model = new VoiceModelSession(session, 'Kokoro', 'audio');
  }

  /** Loads from the store (verified, never fetched: ModelNotInstalledError names the fetch command) or from paths. */
  static async load(source: KokoroModelPaths | ModelStore, options: KokoroEngineOptions = {}): Promise<KokoroEngine> {
    const modelId = options.modelId ?? KOKORO_82M;
    const whole = options.wholeFile ?? KOKORO_INT8_ONNX;
    const paths =
      source instanceof ModelStore
        ? await pathsFromStore(source, modelId, whole, options.voices)
        : { ...source, voices: pickVoices(source.voices, options.voices) };
    const vocab = await readKokoroVocab(paths.config);
    const voices = new Map<string, LoadedVoice>();
    for (const path of paths.voices) {
      const voice = await KokoroVoice.read(path);
      const language = kokoroLanguageOf(voice.name);
      if (!language)
        throw new UnknownVoiceError(
          `Kokoro voice "${voice.name}" is not English; collar speaks the American (a…) and British (b…) voices`,
        );
      voices.set(voice.name, { voice, language });
    }
    if (voices.size === 0) throw new UnknownVoiceError('no Kokoro voice to load');
    const phonemize = options.phonemize ?? espeakPhonemize;

    const where =
      typeof paths.model === 'string' ? paths.model : `${whole.name} (joined from ${paths.model.length} parts)`;
    const session =
      typeof paths.model === 'string'
        ? await createSingleThreadSession(paths.model, options.intraOpThreads ?? 1)
        : await createSingleThreadSession(await joinParts(paths.model, whole, modelId), options.intraOpThreads ?? 1);
    try {
      checkModelSignature(session, where, KOKORO_SIGNATURE);
    } catch (error) {
      await session.release();
      throw error;
    }
    return new KokoroEngine(session, vocab, voices, phonemize, options.logger);
  }

  voiceNames(): readonly string[] {
    return [...this.voices.keys()];
  }

  /** The phoneme ids (no pads) the model gets for `text` spoken by `voiceName`. */
  async tokenIds(text: string, voiceName: string, signal?: AbortSignal): Promise<number[]> {
    const { language } = this.voiceOf(voiceName);
    const ipa = await this.phonemize(text, language, signal ? { signal } : {});
    const { ids, missing } = tokenize(kokoroPhonemes(ipa, language), this.vocab);
    this.reportMissing(missing);
    return ids;
  }

  async synthesizeClause(text: string, voice: VoiceSelection, signal?: AbortSignal): Promise<Float32Array> {
    const { voice: styles } = this.voiceOf(voice.voiceName);
    if (!(voice.rate > 0) || !Number.isFinite(voice.rate))
      throw new RangeError(`rate must be a positive number, got ${voice.rate}`);
    throwIfCancelled(signal);
    const ids = await this.tokenIds(text, voice.voiceName, signal);
    const pieces: Float32Array[] = [];
    for (const chunk of chunkTokens(ids, this.vocab)) {
      throwIfCancelled(signal);
      pieces.push(await this.synthesizeTokens(chunk, styles, voice.rate));
    }
    throwIfCancelled(signal);
    return concatAudio(pieces);
  }

  /** One model call: `ids` (at most 510, no pads) with `voice`'s style for that length. */
  synthesizeTokens(ids: readonly number[], voice: KokoroVoice | string, speed = 1): Promise<Float32Array> {
    const styles = typeof voice === 'string' ? this.voiceOf(voice).voice : voice;
    const tokens = BigInt64Array.from([KOKORO_PAD_ID, ...ids, KOKORO_PAD_ID], BigInt);
    const feeds = {
      tokens: new ort.Tensor('int64', tokens, [1, tokens.length]),
      style: new ort.Tensor('float32', Float32Array.from(styles.styleFor(ids.length)), [1, KOKORO_STYLE_DIM]),
      speed: new ort.Tensor('float32', Float32Array.from([speed]), [1]),
    };
    return this.model.run(feeds);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  private voiceOf(voiceName: string): LoadedVoice {
    const loaded = this.voices.get(voiceName);
    if (!loaded)
      throw new UnknownVoiceError(
        `Kokoro voice "${voiceName}" is not loaded; loaded: ${[...this.voices.keys()].join(', ')}`,
      );
    return loaded;
  }

  private reportMissing(missing: Map<string, number>): void {
    const fresh = [...missing].filter(([symbol]) => !this.reportedMissing.has(symbol));
    if (fresh.length === 0) return;
    for (const [symbol] of fresh) this.reportedMissing.add(symbol);
    this.logger?.warn(
      { missing: fresh.map(([symbol, count]) => `"${symbol}" ×${count}`) },
      'phonemes not in the Kokoro vocabulary were dropped',
    );
  }
}
