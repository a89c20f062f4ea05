/**
 * From a voice pack to a speaking engine: which engine, which model (a catalog entry in
 * the model store, or files shipped inside a user pack), and the delivery the pack asks
 * for (rate, pitch, pauses, lexicon). The espeak-ng engine is embedded; neural engines
 * load verified files and name the fetch command when a model is not installed.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { VoicePack } from '../../../voices/pack-manifest.js';
import { type ModelStore, openModelStore } from '../../models/index.js';
import { type Delivery, TtsStream } from './clause-stream.js';
import { EspeakEngine } from './espeak/espeak-engine.js';
import { KokoroEngine } from './kokoro/kokoro-engine.js';
import { PiperEngine } from './piper/piper-engine.js';
import type { ClauseSynthesizer } from './tts-engine.js';

export interface TtsLoadOptions {
  logger?: Logger;
  store?: ModelStore;
  /** Where a user pack lives, for model files it ships itself. */
  packDir?: string;
}

export class VoicePackModelError extends Error {
  override readonly name = 'VoicePackModelError';
}

/** The files a user pack ships, by how they end. */
function packFile(pack: VoicePack, packDir: string | undefined, suffix: string): string {
  const file = pack.model?.files?.find((f) => f.name.endsWith(suffix));
  if (!file || !packDir) {
    throw new VoicePackModelError(
      `voice pack "${pack.id}" (${pack.engine}) names no ${suffix} file${packDir ? '' : ' and is not installed from a folder'}; give model.catalogId or model.files`,
    );
  }
  return join(packDir, file.name);
}

export async function loadTtsEngine(pack: VoicePack, options: TtsLoadOptions = {}): Promise<ClauseSynthesizer> {
  const { logger } = options;
  const store = () => options.store ?? openModelStore(logger ? { logger } : {});
  switch (pack.engine) {
    case 'espeak-ng':
      return EspeakEngine.load(logger ? { logger } : {});
    case 'piper': {
      const catalogId = pack.model?.catalogId;
      if (catalogId)
        return PiperEngine.load(store(), {
          modelId: catalogId,
          voiceId: pack.engineVoice,
          ...(logger ? { logger } : {}),
        });
      return PiperEngine.load(
        { model: packFile(pack, options.packDir, '.onnx'), config: packFile(pack, options.packDir, '.onnx.json') },
        { voiceId: pack.engineVoice, ...(logger ? { logger } : {}) },
      );
    }
    case 'kokoro': {
      const catalogId = pack.model?.catalogId;
      if (!catalogId) {
        throw new VoicePackModelError(
          `voice pack "${pack.id}": a Kokoro pack must name its model with model.catalogId`,
        );
      }
      return KokoroEngine.load(store(), {
        modelId: catalogId,
        voices: [pack.engineVoice],
        ...(logger ? { logger } : {}),
      });
    }
  }
}

/** How the pack speaks: its voice, child-directed rate and pauses, and its lexicon. */
export function deliveryFor(pack: VoicePack): Delivery {
  return {
    voice: { voiceName: pack.engineVoice, rate: pack.rate, pitch: pack.pitch },
    clausePauseMs: pack.pauses.clauseMs,
    sentencePauseMs: pack.pauses.sentenceMs,
    lexicon: pack.lexicon,
  };
}

/** A whole preview line (or several) in the pack's voice, at the engine's own rate. */
export async function synthesizePackPreview(
  pack: VoicePack,
  text: string,
  options: { logger: Logger; packDir?: string; store?: ModelStore },
): Promise<{ samples: Float32Array; sampleRateHz: number }> {
  const engine = await loadTtsEngine(pack, options);
  try {
    const stream = new TtsStream(engine, deliveryFor(pack), options.logger);
    stream.push(text);
    stream.end();
    const { samples, sampleRateHz } = await stream.collect();
    return { samples, sampleRateHz };
  } finally {
    await engine.dispose();
  }
}
