/**
 * Built-in packs for espeak-ng's English accents. espeak-ng carries its voices inside the
 * engine, so these packs need no model files and work on a fresh install. Each pack id is
 * its accent tag in lower case, so a configured voice such as `en-GB-scotland` finds it.
 */
import type { VoicePackInput } from '../pack-manifest.js';

/** The same child-directed lines for every accent, so accents can be compared line by line. */
export const STANDARD_PREVIEW_LINES = [
  'Good morning, sweetheart! Did you sleep well?',
  'Can you put your shoes on, please? We are going to the park.',
  'Well done! I am so proud of you.',
];

const ESPEAK_LICENSE = 'GPL-3.0-or-later';
const ESPEAK_AUTHOR = 'collar (voice data: the eSpeak NG project)';

function espeakPack(
  id: string,
  accent: string,
  engineVoice: string,
  displayName: string,
  description: string,
): VoicePackInput {
  return {
    schemaVersion: 1,
    id,
    displayName,
    accent,
    engine: 'espeak-ng',
    engineVoice,
    license: ESPEAK_LICENSE,
    author: ESPEAK_AUTHOR,
    description,
    previewLines: STANDARD_PREVIEW_LINES,
  };
}

export const ESPEAK_PACKS: readonly VoicePackInput[] = [
  espeakPack('en-us', 'en-US', 'en-US', 'American', 'General American English (espeak-ng "English (America)").'),
  espeakPack(
    'en-gb',
    'en-GB',
    'en-GB',
    'British (RP)',
    'British Received Pronunciation (espeak-ng "English (Received Pronunciation)").',
  ),
  espeakPack(
    'en-gb-scotland',
    'en-GB-scotland',
    'en-GB-scotland',
    'Scottish',
    'Scottish English (espeak-ng "English (Scotland)").',
  ),
  espeakPack(
    'en-gb-x-gbclan',
    'en-GB-x-gbclan',
    'en-GB-x-gbclan',
    'Lancashire',
    'Northern English, Lancashire (espeak-ng "English (Lancaster)").',
  ),
  espeakPack(
    'en-gb-x-gbcwmd',
    'en-GB-x-gbcwmd',
    'en-GB-x-gbcwmd',
    'West Midlands',
    'West Midlands English (espeak-ng "English (West Midlands)").',
  ),
  espeakPack('en-029', 'en-029', 'en-029', 'Caribbean', 'Caribbean English (espeak-ng "English (Caribbean)").'),
  espeakPack(
    'en-us-nyc',
    'en-US-nyc',
    'en-US-nyc',
    'New York',
    'New York City English (espeak-ng "English (America, New York City)").',
  ),
];
