/**
 * A Piper voice's `.onnx.json`: the sample rate, the espeak-ng voice its phonemes come
 * from, the inference scales it was tuned with, and the phoneme → ids map. Read with zod;
 * a bad file is refused with every problem named by its key (`audio.sample_rate: …`).
 * Keys Piper's own runtime treats as optional get Piper's defaults (piper.hpp / voice.py).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatZodIssue } from '../../../config/format-issues.js';

/** Piper's defaults for a voice config without an `inference` block. */
export const PIPER_DEFAULT_SCALES = { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 } as const;

/** The special symbols of Piper's phoneme_id_map (piper-phonemize phoneme_ids.hpp). */
export const PIPER_PAD = '_';
export const PIPER_BOS = '^';
export const PIPER_EOS = '$';

const isSingleCodepoint = (text: string): boolean => [...text].length === 1;
const NOT_ONE_CODEPOINT = 'expected a single-codepoint phoneme (piper-phonemize maps codepoints)';

const PhonemeIds = z.array(z.number().int().nonnegative()).min(1);

export const PiperVoiceConfig = z.looseObject({
  audio: z.looseObject({
    sample_rate: z.number().int().positive(),
    quality: z.string().optional(),
  }),
  espeak: z.looseObject({ voice: z.string().min(1) }),
  inference: z
    .looseObject({
      noise_scale: z.number().nonnegative().default(PIPER_DEFAULT_SCALES.noise_scale),
      length_scale: z.number().positive().default(PIPER_DEFAULT_SCALES.length_scale),
      noise_w: z.number().nonnegative().default(PIPER_DEFAULT_SCALES.noise_w),
    })
    .default({ ...PIPER_DEFAULT_SCALES }),
  /** `espeak`: IPA from espeak-ng; `text`: the text's own characters are the phonemes. */
  phoneme_type: z.enum(['espeak', 'text']).default('espeak'),
  /** Phoneme → phonemes it is replaced by before the id lookup. */
  phoneme_map: z
    .record(z.string(), z.array(z.string()))
    .superRefine((map, ctx) => {
      for (const [from, to] of Object.entries(map)) {
        if (!isSingleCodepoint(from)) ctx.addIssue({ code: 'custom', message: NOT_ONE_CODEPOINT, path: [from] });
        to.forEach((phoneme, index) => {
          if (!isSingleCodepoint(phoneme))
            ctx.addIssue({ code: 'custom', message: NOT_ONE_CODEPOINT, path: [from, index] });
        });
      }
    })
    .default({}),
  phoneme_id_map: z.record(z.string(), PhonemeIds).superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      if (!isSingleCodepoint(key)) ctx.addIssue({ code: 'custom', message: NOT_ONE_CODEPOINT, path: [key] });
    }
    for (const symbol of [PIPER_PAD, PIPER_BOS, PIPER_EOS]) {
      if (!(symbol in map)) ctx.addIssue({ code: 'custom', message: `has no "${symbol}"`, path: [symbol] });
    }
  }),
  num_symbols: z.number().int().positive().optional(),
  num_speakers: z.number().int().positive().default(1),
  speaker_id_map: z.record(z.string(), z.number().int().nonnegative()).default({}),
  piper_version: z.string().optional(),
  language: z.looseObject({ code: z.string() }).optional(),
  dataset: z.string().optional(),
});
export type PiperVoiceConfig = z.infer<typeof PiperVoiceConfig>;

export class PiperConfigError extends Error {
  override readonly name = 'PiperConfigError';
}

/** Validates a parsed `.onnx.json`; `where` names the file in the error. */
export function parsePiperConfig(json: unknown, where: string): PiperVoiceConfig {
  const parsed = PiperVoiceConfig.safeParse(json);
  if (!parsed.success) {
    throw new PiperConfigError(
      `${where} is not a usable Piper voice config:\n  - ${parsed.error.issues.map((issue) => formatZodIssue(issue, json)).join('\n  - ')}`,
    );
  }
  return parsed.data;
}

export async function readPiperConfig(path: string): Promise<PiperVoiceConfig> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PiperConfigError(`${path} is not JSON: ${(error as Error).message}`);
  }
  return parsePiperConfig(json, path);
}
