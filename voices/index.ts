/** Accent packs: the manifest schema, the built-in packs and the registry of installed packs. */
export { BUILTIN_VOICE_PACK_IDS, BUILTIN_VOICE_PACKS, DEFAULT_VOICE_PACK_ID } from './builtin/index.js';
export {
  UnknownVoicePackError,
  VoicePackConflictError,
  VoicePackInstallError,
  VoicePackInvalidError,
  VoicePackUsageError,
} from './errors.js';
export {
  checkVoicePackManifest,
  isNeuralPack,
  keyPath,
  type ManifestCheck,
  VOICE_ENGINES,
  type VoiceEngineName,
  type VoicePack,
  type VoicePackInput,
  VoicePackSchema,
  voiceSelectionOf,
} from './pack-manifest.js';
export { type PackModelState, type PackModelStatus, packModelStatuses } from './pack-model-state.js';
export {
  CURRENT_VOICE_FILE,
  type CurrentVoice,
  defaultVoicesDir,
  type InstallResult,
  openVoicePackRegistry,
  PACK_MANIFEST_FILE,
  type PackDirCheck,
  type RemoveResult,
  type SkippedPack,
  type VoicePackEntry,
  VoicePackRegistry,
  type VoicePackRegistryOptions,
} from './pack-registry.js';
