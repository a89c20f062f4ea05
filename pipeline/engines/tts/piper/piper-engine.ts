/**
 * Piper (VITS) voices on onnxruntime-node: one `.onnx` and its `.onnx.json`, loaded from
 * the model store (`PiperEngine.load(store)`, default voice `piper-en-us-joe-medium`) or
 * from two paths.
 *
 * Synthesis, as Piper's own runtime does it: the clause is phonemized by espeak-ng in the
 * voice's espeak voice (`espeak.voice` in the config; IPA as piper-phonemize produces it),
 * or taken character by character for `phoneme_type: text`; phonemes become ids through
 * the voice's `phoneme_id_map` (piper-phonemes.ts: `^ _ p1 _ … pn _ $`, unknown phonemes
 * skipped and logged); the model gets `input` int64 [1, n], `input_lengths` int64 [1],
 * `scales` float32 [noise_scale, length_scale, noise_w] (and `sid` for multi-speaker
 * voices) and returns float audio at the config's sample rate. `rate` divides
 * length_scale (0.8 → 25 % longer). Piper has no pitch control: `pitch` is ignored.
 * If the phonemizer returns several sentences (one per line), each is run on its own and
 * the audio joined, as Piper does.
 *
 * One session, one thread (DESIGN.md principle 6); calls are serialised.
 */

import { basename } from 'node:path';
import type { Logger } from '../../../logging/logger.js';
import { ModelStore } from '../../../models/index.js';
import { checkModelSignature, createSingleThreadSession, type ExpectedTensor, ort } from '../../onnx-session.js';
import { phonemizeSentences } from '../espeak/espeak-phonemizer.js';
import { concatAudio, throwIfCancelled, VoiceModelSession } from '../synthesis-helpers.js';
import { type ClauseSynthesizer, UnknownVoiceError, type VoiceSelection } from '../tts-engine.js';
import { type PiperVoiceConfig, readPiperConfig } from './piper-config.js';
import { describePhoneme, type PhonemeIds, phonemesToIds, splitPhonemes } from './piper-phonemes.js';

export const PIPER_JOE_MEDIUM = 'piper-en-us-joe-medium';

/** Text → IPA in an espeak-ng voice; sentences Piper should run one by one are on lines of their own. */
export type Phonemizer = (text: string, voiceName: string, options?: { signal?: AbortSignal }) => Promise<string>;

/** espeak-ng as piper-phonemize drives it (espeak-phonemizer.ts), one sentence per line. */
export const espeakSentences: Phonemizer = async (text, voiceName, options) =>
  (await phonemizeSentences(text, voiceName, options)).join('\n');

export interface PiperVoicePaths {
  model: string;
  config: string;
}

export interface PiperEngineOptions {
  /** Catalog id when loading from a store (default `piper-en-us-joe-medium`). */
  modelId?: string;
  /** The voice's name (default: the model file's name without `.onnx`, e.g. `en_US-joe-medium`). */
  voiceId?: string;
  /** Speaker of a multi-speaker voice (default 0). */
  speakerId?: number;
  phonemize?: Phonemizer;
  logger?: Logger;
}

/** The tensors a Piper export has; `outputRank` is 4 for piper1 exports, 3 for older ones. */
export function piperSignature(
  multiSpeaker: boolean,
  outputRank: 3 | 4 = 4,
): { inputs: ExpectedTensor[]; outputs: ExpectedTensor[] } {
  return {
    inputs: [
      { name: 'input', shape: [1, null], type: 'int64' },
      { name: 'input_lengths', shape: [1], type: 'int64' },
      { name: 'scales', shape: [3], type: 'float32' },
      ...(multiSpeaker ? [{ name: 'sid', shape: [1], type: 'int64' } as const] : []),
    ],
    outputs: [{ name: 'output', shape: outputRank === 4 ? [1, 1, 1, null] : [1, 1, null], type: 'float32' }],
  };
}

function outputRankOf(session: ort.InferenceSession): 3 | 4 {
  const output = session.outputMetadata.find((meta) => meta.name === 'output');
  return output?.isTensor && output.shape.length === 3 ? 3 : 4;
}

async function pathsFromStore(store: ModelStore, modelId: string): Promise<PiperVoicePaths> {
  const files = store.spec(modelId).files.map((file) => file.name);
  const model = files.find((name) => name.endsWith('.onnx'));
  const config = files.find((name) => name.endsWith('.onnx.json'));
  if (!model || !config)
    throw new Error(`the catalog entry ${modelId} is not a Piper voice: it needs a .onnx and its .onnx.json`);
  return { model: await store.resolveFile(modelId, model), config: await store.resolveFile(modelId, config) };
}

export class PiperEngine implements ClauseSynthesizer {
  readonly id = 'piper';
  readonly sampleRateHz: number;
  private readonly model: VoiceModelSession;
  private readonly reportedMissing = new Set<string>();
  private warnedPitch = false;

  private constructor(
    session: ort.InferenceSession,
    readonly voiceId: string,
    readonly config: PiperVoiceConfig,
    private readonly phonemize: Phonemizer,
    private readonly speakerId: number,
    private readonly logger: Logger | undefined,
  ) {
    this.sampleRateHz = config.audio.sample_rate;
    this.model = new VoiceModelSession(session, 'Piper', 'output');
  }

  /** Loads a voice from the store (verified, never fetched: ModelNotInstalledError names the fetch command) or from paths. */
  static async load(source: PiperVoicePaths | ModelStore, options: PiperEngineOptions = {}): Promise<PiperEngine> {
    const paths =
      source instanceof ModelStore ? await pathsFromStore(source, options.modelId ?? PIPER_JOE_MEDIUM) : source;
    const config = await readPiperConfig(paths.config);
    const speakerId = options.speakerId ?? 0;
    if (!Number.isInteger(speakerId) || speakerId < 0 || speakerId >= config.num_speakers)
      throw new RangeError(`speaker ${speakerId} is not one of the voice's ${config.num_speakers} speakers`);
    const phonemize = options.phonemize ?? (config.phoneme_type === 'espeak' ? espeakSentences : textOnly);
    const session = await createSingleThreadSession(paths.model);
    try {
      checkModelSignature(session, paths.model, piperSignature(config.num_speakers > 1, outputRankOf(session)));
    } catch (error) {
      await session.release();
      throw error;
    }
    const voiceId = options.voiceId ?? basename(paths.model).replace(/\.onnx$/, '');
    return new PiperEngine(session, voiceId, config, phonemize, speakerId, options.logger);
  }

  voiceNames(): readonly string[] {
    return [this.voiceId];
  }

  /** The id sequences the model will get for `text`, one per sentence. */
  async phonemeIds(text: string, signal?: AbortSignal): Promise<PhonemeIds[]> {
    const sentences =
      this.config.phoneme_type === 'text'
        ? [text]
        : (await this.phonemize(text, this.config.espeak.voice, signal ? { signal } : {}))
            .split('\n')
            .filter((line) => line.trim() !== '');
    return sentences.map((sentence) => {
      const result = phonemesToIds(splitPhonemes(sentence, this.config.phoneme_map), this.config.phoneme_id_map);
      this.reportMissing(result.missing);
      return result;
    });
  }

  async synthesizeClause(text: string, voice: VoiceSelection, signal?: AbortSignal): Promise<Float32Array> {
    if (voice.voiceName !== this.voiceId)
      throw new UnknownVoiceError(`Piper voice "${voice.voiceName}" is not loaded; this engine speaks ${this.voiceId}`);
    if (!(voice.rate > 0) || !Number.isFinite(voice.rate))
      throw new RangeError(`rate must be a positive number, got ${voice.rate}`);
    if (voice.pitch !== 1 && !this.warnedPitch) {
      this.warnedPitch = true;
      this.logger?.info({ voice: this.voiceId, pitch: voice.pitch }, 'Piper voices have no pitch control; ignored');
    }
    throwIfCancelled(signal);
    const sentences = await this.phonemeIds(text, signal);
    const pieces: Float32Array[] = [];
    for (const { ids } of sentences) {
      throwIfCancelled(signal);
      if (ids.length <= 3) continue; // BOS, PAD, EOS: nothing to say
      pieces.push(await this.synthesizeIds(ids, voice.rate));
    }
    throwIfCancelled(signal);
    return concatAudio(pieces);
  }

  /** Runs the model on one id sequence (BOS … EOS); `rate` divides the voice's length_scale. */
  synthesizeIds(ids: readonly number[], rate = 1): Promise<Float32Array> {
    const { noise_scale, length_scale, noise_w } = this.config.inference;
    const feeds: Record<string, ort.Tensor> = {
      input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.from([BigInt(ids.length)]), [1]),
      scales: new ort.Tensor('float32', Float32Array.from([noise_scale, length_scale / rate, noise_w]), [3]),
    };
    if (this.config.num_speakers > 1)
      feeds.sid = new ort.Tensor('int64', BigInt64Array.from([BigInt(this.speakerId)]), [1]);
    return this.model.run(feeds);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  private reportMissing(missing: Map<string, number>): void {
    const fresh = [...missing].filter(([phoneme]) => !this.reportedMissing.has(phoneme));
    if (fresh.length === 0) return;
    for (const [phoneme] of fresh) this.reportedMissing.add(phoneme);
    this.logger?.warn(
      { voice: this.voiceId, missing: fresh.map(([phoneme, count]) => `${describePhoneme(phoneme)} ×${count}`) },
      'phonemes not in the voice phoneme_id_map were skipped',
    );
  }
}

const textOnly: Phonemizer = async (text) => text;
