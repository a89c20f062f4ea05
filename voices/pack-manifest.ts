/**
 * The `VoicePack` manifest (`pack.json`): which engine and voice speak, how (rate, pitch,
 * child-directed pauses), which words they say differently (lexicon), which model files a
 * neural voice needs (pinned by size and sha256, with sources), its license and the lines
 * a designer previews it with.
 *
 * `checkVoicePackManifest` reports every problem at once, one line each, naming the key
 * path as it is indexed: `rate: must be ≤ 2 (got 3)`, `previewLines[2]: must not be empty`,
 * `lexicon["Mei Lin"]: must be ...`, `model.files[0].sha256: expected 64 lowercase hex
 * characters`. Checks that involve two fields (engine ↔ voice name, engine ↔ model,
 * engine ↔ lexicon form) run on whichever of those fields are valid, so they are reported
 * alongside the single-field problems rather than after they are fixed.
 */
import { z } from 'zod';
import { describeValue, valueAt } from '../pipeline/config/format-issues.js';
import { ESPEAK_ACCENTS } from '../pipeline/engines/tts/espeak/espeak-voices.js';
import { ModelFile } from '../pipeline/models/spec.js';

export const VOICE_PACK_SCHEMA_VERSION = 1;
export const VOICE_ENGINES = ['espeak-ng', 'piper', 'kokoro'] as const;
export type VoiceEngineName = (typeof VOICE_ENGINES)[number];
/** Engines whose voices are model files (the rest carry their voices inside the engine). */
export const NEURAL_ENGINES: readonly VoiceEngineName[] = ['piper', 'kokoro'];

/**
 * The espeak-ng voice names collar's espeak-ng engine speaks (its shipped accents; matched
 * without regard to case, e.g. "en-GB-scotland"); the engine owns the list.
 */
export const ESPEAK_VOICE_NAMES: readonly string[] = ESPEAK_ACCENTS.map((accent) => accent.name);

export const PACK_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const RATE_DEFAULT = 0.85;
export const PITCH_DEFAULT = 1;
export const CLAUSE_PAUSE_MS_DEFAULT = 250;
export const SENTENCE_PAUSE_MS_DEFAULT = 450;
export const MAX_PREVIEW_LINES = 5;
export const MAX_PREVIEW_LINE_CHARS = 120;
export const MAX_LEXICON_ENTRIES = 500;
const MAX_LEXICON_WORDS = 5;

/** A number in [min, max] with messages that say so. */
function between(min: number, max: number, what = 'a number') {
  return z
    .number({ error: `must be ${what} from ${min} to ${max}` })
    .min(min, { error: `must be ≥ ${min}` })
    .max(max, { error: `must be ≤ ${max}` });
}

function text(what: string, maxChars: number) {
  return z
    .string({ error: `must be ${what}` })
    .refine((value) => value.trim().length > 0, { error: 'must not be empty', abort: true })
    .refine((value) => value.length <= maxChars, { error: `must be at most ${maxChars} characters` });
}

/** A word or short phrase: letters, digits, apostrophes, hyphens; single spaces between words. */
const LEXICON_KEY = new RegExp(
  `^[\\p{L}\\p{M}\\p{N}'’-]+(?: [\\p{L}\\p{M}\\p{N}'’-]+){0,${MAX_LEXICON_WORDS - 1}}$`,
  'u',
);
const RESPELLING = /^[\p{L}\p{M}'’-]+(?: [\p{L}\p{M}'’-]+)*$/u;

export type PronunciationForm = 'espeak-phonemes' | 'ipa' | 'respelling';

/**
 * How a lexicon value is written: `[[...]]` espeak-ng phonemes (espeak-ng and Piper, which
 * phonemises with espeak-ng), `/.../` IPA (Kokoro), or a respelling in letters ("MAY-lin").
 */
export function pronunciationForm(value: string): PronunciationForm | { problem: string } {
  if (value.trim() !== value || value.length === 0) {
    return { problem: 'must not be empty or start or end with spaces' };
  }
  if (value.startsWith('[[') || value.endsWith(']]')) {
    const inner = value.slice(2, -2);
    if (!value.startsWith('[[') || !value.endsWith(']]') || inner.trim().length === 0 || /\[\[|\]\]/.test(inner)) {
      return { problem: 'espeak-ng phonemes must be written [[...]] with the phonemes inside, e.g. "[[m\'eIl\'In]]"' };
    }
    return 'espeak-phonemes';
  }
  if (value.startsWith('/') || value.endsWith('/')) {
    if (!value.startsWith('/') || !value.endsWith('/') || value.length < 3) {
      return { problem: 'IPA must be written /.../ with the phonemes inside, e.g. "/meɪlˈɪn/"' };
    }
    return 'ipa';
  }
  if (!RESPELLING.test(value)) {
    return {
      problem:
        'must be [[espeak-ng phonemes]], /IPA/ (kokoro) or a respelling in letters, hyphens and spaces ("MAY-lin")',
    };
  }
  return 'respelling';
}

/** Values are checked in the refinement (not by the record) so that every entry is reported, whatever the others hold. */
const LexiconSchema = z
  .record(z.string(), z.unknown(), { error: 'must be an object mapping words to pronunciations' })
  .superRefine((lexicon, ctx) => {
    const keys = Object.keys(lexicon);
    if (keys.length > MAX_LEXICON_ENTRIES) {
      ctx.addIssue({ code: 'custom', path: [], message: `must hold at most ${MAX_LEXICON_ENTRIES} entries` });
    }
    const firstByFolded = new Map<string, string>();
    for (const key of keys) {
      if (!LEXICON_KEY.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `key must be a word or a phrase of up to ${MAX_LEXICON_WORDS} words (letters, digits, ' and -, single spaces, no spaces at the ends)`,
        });
      } else {
        const folded = key.toLocaleLowerCase('en');
        const earlier = firstByFolded.get(folded);
        if (earlier !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `duplicates ${JSON.stringify(earlier)} (words match whatever their case); keep one`,
          });
        } else firstByFolded.set(folded, key);
      }
      const value = lexicon[key];
      if (typeof value !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `must be a pronunciation string (got ${describeValue(value)})`,
        });
        continue;
      }
      const form = pronunciationForm(value);
      if (typeof form === 'object') ctx.addIssue({ code: 'custom', path: [key], message: form.problem });
    }
  })
  .transform((lexicon) => lexicon as Record<string, string>);

const plainModelId = z
  .string({ error: 'must be a model id from the catalog (`collar models list`)' })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, { error: 'must be a model id from the catalog (`collar models list`)' });

const PackModelSchema = z
  .strictObject(
    {
      /** A model in the model store's catalog (`collar models fetch <catalogId>`). */
      catalogId: plainModelId.optional(),
      /** Model files shipped inside the pack folder, pinned by size and sha256. */
      files: z
        .array(ModelFile, { error: 'must be a list of model files' })
        .min(1, { error: 'must list at least one file' })
        .optional(),
    },
    { error: 'must be an object: { catalogId?, files? }' },
  )
  .superRefine((model, ctx) => {
    if (model.catalogId === undefined && model.files === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'must name a catalogId (a model in `collar models list`) or list files (name, sizeBytes, sha256, sources)',
      });
    }
    const seen = new Set<string>();
    model.files?.forEach((file, index) => {
      if (seen.has(file.name)) {
        ctx.addIssue({ code: 'custom', path: ['files', index, 'name'], message: `"${file.name}" is listed twice` });
      }
      seen.add(file.name);
    });
  });

const PausesSchema = z
  .strictObject(
    {
      /** Silence after a clause (comma, semicolon), in ms. */
      clauseMs: between(0, 2000, 'a whole number of milliseconds')
        .int({ error: 'must be a whole number of milliseconds' })
        .default(CLAUSE_PAUSE_MS_DEFAULT),
      /** Silence after a sentence, in ms. */
      sentenceMs: between(0, 3000, 'a whole number of milliseconds')
        .int({ error: 'must be a whole number of milliseconds' })
        .default(SENTENCE_PAUSE_MS_DEFAULT),
    },
    { error: 'must be an object: { clauseMs, sentenceMs }' },
  )
  .refine((pauses) => pauses.sentenceMs >= pauses.clauseMs, {
    path: ['sentenceMs'],
    error: 'must be at least pauses.clauseMs (a sentence ends with a longer pause than a clause)',
  });

const PreviewLine = text('a line of English text', MAX_PREVIEW_LINE_CHARS).refine((value) => /[A-Za-z]/.test(value), {
  error: 'must be English text (it has no Latin letters)',
});

/** Every key of the manifest, each checked on its own. */
export const VoicePackFieldsSchema = z.strictObject(
  {
    schemaVersion: z.literal(VOICE_PACK_SCHEMA_VERSION, {
      error: `must be ${VOICE_PACK_SCHEMA_VERSION} (the manifest version this collar reads)`,
    }),
    id: z
      .string({ error: 'must be a kebab-case id' })
      .max(64, { error: 'must be at most 64 characters' })
      .regex(PACK_ID_PATTERN, {
        error: 'must be kebab-case: lowercase letters and digits joined by single hyphens, e.g. "en-gb-scotland"',
      }),
    displayName: text('the name people see, e.g. "Scottish (Edinburgh)"', 60),
    accent: z.string({ error: 'must be a language tag' }).regex(/^en(?:-[A-Za-z0-9]{1,8})*$/, {
      error: 'must be a BCP-47-like English tag: "en" then subtags of 1–8 letters or digits, e.g. "en-GB-scotland"',
    }),
    engine: z.enum(VOICE_ENGINES, { error: `must be one of ${VOICE_ENGINES.join(', ')}` }),
    engineVoice: z
      .string({ error: "must be the engine's voice name" })
      .regex(/^[A-Za-z0-9_.+-]{1,100}$/, { error: "must be the engine's voice name (letters, digits, _ . + -)" }),
    model: PackModelSchema.optional(),
    /** 1 = the voice's own speed; below 1 is slower. Child-directed speech is slow. */
    rate: between(0.5, 2).default(RATE_DEFAULT),
    /** 1 = the voice's own pitch; 1.1 = 10 % higher. */
    pitch: between(0.5, 2).default(PITCH_DEFAULT),
    pauses: PausesSchema.prefault({}),
    /** Word or phrase → how to say it (the child's name, family words, place names). */
    lexicon: LexiconSchema.default({}),
    license: text('the license: an SPDX id (e.g. "CC-BY-4.0") or its text', 4000),
    previewLines: z
      .array(PreviewLine, { error: `must be a list of 1 to ${MAX_PREVIEW_LINES} short English lines` })
      .min(1, { error: 'must hold at least one line' })
      .max(MAX_PREVIEW_LINES, { error: `must hold at most ${MAX_PREVIEW_LINES} lines` }),
    description: text('a description', 500).optional(),
    author: text('the author', 200).optional(),
  },
  { error: 'must be a JSON object (the pack manifest)' },
);

export const VOICE_PACK_KEYS = Object.keys(VoicePackFieldsSchema.shape);
const NESTED_KEYS: Record<string, string> = {
  pauses: 'clauseMs, sentenceMs',
  model: 'catalogId, files',
};

type PackFields = z.output<typeof VoicePackFieldsSchema>;
interface PackFieldsForCrossChecks extends Partial<Pick<PackFields, 'engine' | 'engineVoice' | 'model'>> {
  /** False when `model` is present but invalid (its own problems are reported; absence cannot be judged). */
  modelValid: boolean;
  /** Lexicon entries whose value is a string (each checked here for its form against the engine). */
  lexicon: Record<string, string>;
}

interface CrossIssue {
  path: PropertyKey[];
  message: string;
}

const PIPER_VOICE = /^en_[A-Z]{2}-[A-Za-z0-9_]+-(?:x_low|low|medium|high)$/;
const KOKORO_VOICE = /^[ab][fm]_[a-z0-9]+$/;

/** Rules between fields; each runs only when the fields it reads are present and valid. */
function crossFieldIssues(pack: PackFieldsForCrossChecks): CrossIssue[] {
  const issues: CrossIssue[] = [];
  const { engine, engineVoice, model, lexicon, modelValid } = pack;
  if (engine !== undefined && engineVoice !== undefined) {
    const espeakVoice = engineVoice.toLowerCase();
    if (engine === 'espeak-ng' && !ESPEAK_VOICE_NAMES.some((name) => name.toLowerCase() === espeakVoice)) {
      issues.push({
        path: ['engineVoice'],
        message: `must be one of the espeak-ng voices: ${ESPEAK_VOICE_NAMES.join(', ')}`,
      });
    }
    if (engine === 'piper' && !PIPER_VOICE.test(engineVoice)) {
      issues.push({
        path: ['engineVoice'],
        message: 'must be an English Piper voice name: en_XX-<name>-<x_low|low|medium|high>, e.g. "en_US-joe-medium"',
      });
    }
    if (engine === 'kokoro' && !KOKORO_VOICE.test(engineVoice)) {
      issues.push({
        path: ['engineVoice'],
        message:
          'must be an English Kokoro voice: a|b (American|British), f|m, "_" and a name, e.g. "af_heart", "bf_emma"',
      });
    }
  }
  if (engine !== undefined && modelValid) {
    if (engine === 'espeak-ng' && model !== undefined) {
      issues.push({ path: ['model'], message: 'espeak-ng voices are built into the engine; remove the model' });
    }
    if (engine !== 'espeak-ng' && model === undefined) {
      issues.push({
        path: ['model'],
        message: `missing; a ${engine} pack names its model: a catalogId, or files with sizeBytes, sha256 and sources`,
      });
    }
  }
  if (engine === 'piper' && engineVoice !== undefined && PIPER_VOICE.test(engineVoice) && model?.files) {
    const names = new Set(model.files.map((file) => file.name));
    const missing = [`${engineVoice}.onnx`, `${engineVoice}.onnx.json`].filter((name) => !names.has(name));
    if (missing.length > 0) {
      issues.push({
        path: ['model', 'files'],
        message: `a Piper voice is its .onnx model and .onnx.json config; not listed: ${missing.join(', ')}`,
      });
    }
  }
  // Phoneme notations parse, but no engine speaks them from a lexicon yet: refuse them
  // rather than have the voice spell out the brackets.
  for (const [word, value] of Object.entries(lexicon)) {
    const form = pronunciationForm(value);
    if (form === 'espeak-phonemes' || form === 'ipa') {
      issues.push({
        path: ['lexicon', word],
        message: `${form === 'ipa' ? '/IPA/' : '[[phonemes]]'} entries are not spoken yet; write a respelling in letters, e.g. "MAY-lin"`,
      });
    }
  }
  if (engine === 'kokoro' && modelValid && model !== undefined && model.catalogId === undefined) {
    issues.push({
      path: ['model'],
      message:
        'a kokoro pack names its model with catalogId ("kokoro-82m"); model files shipped in a pack are not loaded for Kokoro',
    });
  }
  return issues;
}

/** The manifest as read (defaults filled in); every cross-field rule holds. */
export const VoicePackSchema = VoicePackFieldsSchema.superRefine((pack, ctx) => {
  for (const issue of crossFieldIssues({ ...pack, modelValid: true }))
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

export type VoicePack = z.output<typeof VoicePackSchema>;
/** What a manifest may say (defaulted keys optional): the shape built-in packs are written in. */
export type VoicePackInput = z.input<typeof VoicePackSchema>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['model', 'files', 0, 'sha256']` → `model.files[0].sha256`; `['lexicon', 'Mei Lin']` → `lexicon["Mei Lin"]`. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** ` (got 3)` after a message, for a plain value the message does not already quote. */
function got(input: unknown, path: ReadonlyArray<PropertyKey>, message: string): string {
  const value = valueAt(input, path);
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) return '';
  const described = describeValue(value);
  return message.includes(described) ? '' : ` (got ${described})`;
}

function knownKeysAt(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return VOICE_PACK_KEYS.join(', ');
  return NESTED_KEYS[String(path[0])] ?? '';
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    return issue.keys.map(
      (key) => `${keyPath([...issue.path, key])}: unknown key${known ? ` (expected one of ${known})` : ''}`,
    );
  }
  const where = keyPath(issue.path);
  if (issue.path.length > 0 && valueAt(input, issue.path) === undefined && issue.code === 'invalid_type') {
    return [`${where}: missing; ${issue.message}`];
  }
  // Lexicon problems are about a key or its value; the value is named only when it is the problem.
  const showGot = issue.code !== 'custom' || issue.path[0] !== 'lexicon';
  return [`${where}: ${issue.message}${showGot ? got(input, issue.path, issue.message) : ''}`];
}

export type ManifestCheck = { ok: true; pack: VoicePack } | { ok: false; problems: string[] };

/** The cross-field rules on whichever of their fields are valid on their own. */
function crossFieldIssuesOfRaw(input: unknown): CrossIssue[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return [];
  const raw = input as Record<string, unknown>;
  const shape = VoicePackFieldsSchema.shape;
  const partial: PackFieldsForCrossChecks = { modelValid: false, lexicon: {} };
  const engine = shape.engine.safeParse(raw.engine);
  if (engine.success) partial.engine = engine.data;
  const engineVoice = shape.engineVoice.safeParse(raw.engineVoice);
  if (engineVoice.success) partial.engineVoice = engineVoice.data;
  const model = shape.model.safeParse(raw.model);
  if (model.success) {
    partial.model = model.data;
    partial.modelValid = true;
  }
  if (raw.lexicon !== null && typeof raw.lexicon === 'object' && !Array.isArray(raw.lexicon)) {
    for (const [word, value] of Object.entries(raw.lexicon))
      if (typeof value === 'string') partial.lexicon[word] = value;
  }
  return crossFieldIssues(partial);
}

/** Checks a parsed `pack.json`; on failure, every problem, one line each, with its key path. */
export function checkVoicePackManifest(input: unknown): ManifestCheck {
  const fields = VoicePackFieldsSchema.safeParse(input);
  const issues: Array<z.core.$ZodIssue | CrossIssue> = fields.success
    ? crossFieldIssues({ ...fields.data, modelValid: true })
    : [...fields.error.issues, ...crossFieldIssuesOfRaw(input)];
  if (fields.success && issues.length === 0) return { ok: true, pack: fields.data };
  // In manifest order, so a designer reads them top to bottom beside the file.
  const order = (issue: { path: PropertyKey[] }): number => {
    const index = VOICE_PACK_KEYS.indexOf(String(issue.path[0] ?? ''));
    return index === -1 ? VOICE_PACK_KEYS.length : index;
  };
  const sorted = issues
    .map((issue) => ({ issue, order: order(issue as { path: PropertyKey[] }) }))
    .sort((a, b) => a.order - b.order)
    .map(({ issue }) => issue);
  const problems = sorted.flatMap((issue) =>
    'code' in issue ? describeIssue(issue, input) : [`${keyPath(issue.path)}: ${issue.message}`],
  );
  return { ok: false, problems: [...new Set(problems)] };
}

/** Whether the pack's voice is model files (Piper, Kokoro) rather than built into the engine. */
export function isNeuralPack(pack: Pick<VoicePack, 'engine'>): boolean {
  return NEURAL_ENGINES.includes(pack.engine);
}

/** The engine-facing delivery of a pack (see pipeline/engines/tts/tts-engine.ts `VoiceSelection`). */
export function voiceSelectionOf(pack: VoicePack): { voiceName: string; rate: number; pitch: number } {
  return { voiceName: pack.engineVoice, rate: pack.rate, pitch: pack.pitch };
}
