/**
 * The packs every collar has: espeak-ng's English accents (no download), a Piper voice and
 * Kokoro voices (models from the catalog). Parsed through the manifest schema when this
 * module loads, so a built-in pack can never be one the registry would refuse.
 */
import { type VoicePack, VoicePackSchema } from '../pack-manifest.js';
import { ESPEAK_PACKS } from './espeak-packs.js';
import { KOKORO_PACKS, PIPER_PACKS } from './neural-packs.js';

export { STANDARD_PREVIEW_LINES } from './espeak-packs.js';

/** Used when no voice has been chosen, and after the chosen pack is removed. */
export const DEFAULT_VOICE_PACK_ID = 'en-us';

export const BUILTIN_VOICE_PACKS: readonly VoicePack[] = Object.freeze(
  [...ESPEAK_PACKS, ...PIPER_PACKS, ...KOKORO_PACKS].map((pack) => {
    const parsed = VoicePackSchema.safeParse(pack);
    if (!parsed.success) {
      throw new Error(`built-in voice pack ${String(pack.id)} is invalid: ${parsed.error.message}`);
    }
    return Object.freeze(parsed.data);
  }),
);

export const BUILTIN_VOICE_PACK_IDS: readonly string[] = BUILTIN_VOICE_PACKS.map((pack) => pack.id);
