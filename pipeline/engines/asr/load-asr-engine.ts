/**
 * Picks and loads the recogniser. `auto` takes the first installed of SenseVoice (the
 * default: fastest and most accurate on Mandarin), Paraformer and Whisper; when none is
 * installed it names the command that installs the default. Naming an engine loads that
 * engine or fails saying how to install it.
 */
import type { Logger } from 'pino';
import { ModelNotInstalledError, type ModelStore } from '../../models/index.js';
import type { AsrEngine } from './asr-engine.js';
import { ParaformerEngine } from './paraformer-engine.js';
import { SenseVoiceEngine, type SenseVoiceLanguage } from './sense-voice-engine.js';
import { WhisperEngine } from './whisper/whisper-engine.js';

export const ASR_ENGINES = ['sense-voice', 'paraformer', 'whisper'] as const;
export type AsrEngineName = (typeof ASR_ENGINES)[number];
export type AsrEngineChoice = AsrEngineName | 'auto';

export interface AsrLoadOptions {
  language?: SenseVoiceLanguage;
  logger?: Logger;
}

const LOADERS: Record<AsrEngineName, (store: ModelStore, options: AsrLoadOptions) => Promise<AsrEngine>> = {
  'sense-voice': (store, options) =>
    SenseVoiceEngine.fromStore(store, options.language ? { language: options.language } : {}),
  paraformer: (store) => ParaformerEngine.fromStore(store),
  // Mandarin only: any other language is refused once the model is found installed.
  whisper: (store, options) =>
    WhisperEngine.fromStore(store, {
      ...(options.language ? { language: options.language } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    }),
};

export async function loadAsrEngine(
  choice: AsrEngineChoice,
  store: ModelStore,
  options: AsrLoadOptions = {},
): Promise<AsrEngine> {
  if (choice !== 'auto') return LOADERS[choice](store, options);
  let firstMissing: ModelNotInstalledError | undefined;
  for (const name of ASR_ENGINES) {
    try {
      return await LOADERS[name](store, options);
    } catch (error) {
      if (!(error instanceof ModelNotInstalledError)) throw error;
      firstMissing ??= error;
      options.logger?.debug({ engine: name }, 'recogniser not installed; trying the next');
    }
  }
  throw firstMissing ?? new Error('no recogniser is configured');
}
