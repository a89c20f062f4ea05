/**
 * Built-in packs for neural voices. Their models are not part of the install: each names a
 * model in the model store's catalog, fetched with `collar models fetch <catalogId>`. Until
 * it is fetched `collar voices list` shows the model as missing (or not in the catalog).
 */
import type { VoicePackInput } from '../pack-manifest.js';
import { STANDARD_PREVIEW_LINES } from './espeak-packs.js';

export const PIPER_PACKS: readonly VoicePackInput[] = [
  {
    schemaVersion: 1,
    id: 'en-us-joe',
    displayName: 'American — Joe (Piper)',
    accent: 'en-US',
    engine: 'piper',
    engineVoice: 'en_US-joe-medium',
    model: { catalogId: 'piper-en-us-joe-medium' },
    license: 'CC0-1.0 (voice dataset); Piper voice MIT',
    author: 'collar (voice: rhasspy/piper-voices)',
    description: 'A neural American English male voice (Piper, medium quality, 22.05 kHz).',
    previewLines: STANDARD_PREVIEW_LINES,
  },
];

// ---------------------------------------------------------------------------------------
// Kokoro packs. Kokoro-82M (one model, many voices) is catalog id `kokoro-82m`; each pack
// picks one of its American (af_, am_) or British (bf_, bm_) voices. The model is a large
// download that may not be installable everywhere: until it is fetched these packs list
// with their model missing, and `collar voices preview` says what is needed.
// Add further Kokoro voices here.
// ---------------------------------------------------------------------------------------
const KOKORO_LICENSE = 'Apache-2.0 (weights and voices); MIT (ONNX export and config)';

export const KOKORO_PACKS: readonly VoicePackInput[] = [
  {
    schemaVersion: 1,
    id: 'en-us-heart',
    displayName: 'American — Heart (Kokoro)',
    accent: 'en-US',
    engine: 'kokoro',
    engineVoice: 'af_heart',
    model: { catalogId: 'kokoro-82m' },
    license: KOKORO_LICENSE,
    author: 'collar (voice: hexgrad/Kokoro-82M)',
    description: 'A neural American English female voice (Kokoro-82M "af_heart", 24 kHz).',
    previewLines: STANDARD_PREVIEW_LINES,
  },
  {
    schemaVersion: 1,
    id: 'en-gb-emma',
    displayName: 'British — Emma (Kokoro)',
    accent: 'en-GB',
    engine: 'kokoro',
    engineVoice: 'bf_emma',
    model: { catalogId: 'kokoro-82m' },
    license: KOKORO_LICENSE,
    author: 'collar (voice: hexgrad/Kokoro-82M)',
    description: 'A neural British English female voice (Kokoro-82M "bf_emma", 24 kHz).',
    previewLines: STANDARD_PREVIEW_LINES,
  },
];
