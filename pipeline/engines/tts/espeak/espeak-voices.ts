/**
 * The English accents collar ships on espeak-ng, and which espeak-ng voice speaks each.
 * The names are what a family's accent pack puts in `VoiceSelection.voiceName`; each maps
 * to the first of its espeak-ng voice files present in the build's data. All seven are in
 * @echogarden/espeak-ng-emscripten 0.3.5 (espeak-ng-data voices under gmw/).
 */
import type { EspeakDataVoice } from './espeak-module.js';

export interface EspeakAccent {
  /** collar's voice name (BCP 47, espeak-ng's spelling). */
  name: string;
  description: string;
  /** espeak-ng voice files to use, best first ("en-GB-x-rp" matches "gmw/en-GB-x-rp"). */
  espeakVoices: readonly string[];
}

export const ESPEAK_ACCENTS: readonly EspeakAccent[] = [
  { name: 'en-US', description: 'American English', espeakVoices: ['en-US'] },
  // espeak-ng's plain en-GB voice file is "gmw/en"; collar's British accent is RP.
  { name: 'en-GB', description: 'British English (Received Pronunciation)', espeakVoices: ['en-GB-x-rp', 'en'] },
  { name: 'en-GB-scotland', description: 'Scottish English', espeakVoices: ['en-GB-scotland'] },
  { name: 'en-GB-x-gbclan', description: 'Lancashire English (Lancaster)', espeakVoices: ['en-GB-x-gbclan'] },
  { name: 'en-GB-x-gbcwmd', description: 'West Midlands English', espeakVoices: ['en-GB-x-gbcwmd'] },
  { name: 'en-029', description: 'Caribbean English', espeakVoices: ['en-029'] },
  { name: 'en-US-nyc', description: 'New York City English', espeakVoices: ['en-US-nyc'] },
];

export interface ResolvedAccent {
  accent: EspeakAccent;
  /** The espeak-ng identifier that speaks it, e.g. "gmw/en-GB-x-rp". */
  identifier: string;
}

export interface MissingAccent {
  accent: EspeakAccent;
  /** Why it is not offered, for logs and error messages. */
  reason: string;
}

function fileName(identifier: string): string {
  return (identifier.split('/').pop() ?? identifier).toLowerCase();
}

/** Which shipped accents this build's voice data can speak, and which it cannot. */
export function resolveAccents(
  dataVoices: readonly EspeakDataVoice[],
  accents: readonly EspeakAccent[] = ESPEAK_ACCENTS,
): { available: ResolvedAccent[]; missing: MissingAccent[] } {
  const byFile = new Map(dataVoices.map((voice) => [fileName(voice.identifier), voice.identifier]));
  const available: ResolvedAccent[] = [];
  const missing: MissingAccent[] = [];
  for (const accent of accents) {
    const identifier = accent.espeakVoices.map((file) => byFile.get(file.toLowerCase())).find((id) => id !== undefined);
    if (identifier) {
      available.push({ accent, identifier });
    } else {
      missing.push({
        accent,
        reason: `${accent.name} (${accent.description}) is not in this espeak-ng build's voice data (looked for ${accent.espeakVoices.join(', ')})`,
      });
    }
  }
  return { available, missing };
}
