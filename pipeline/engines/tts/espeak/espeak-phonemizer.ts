/**
 * Text → IPA with espeak-ng, in the form Piper voices were trained on.
 *
 * Piper's phonemizer (piper-phonemize, `phonemize_eSpeak`) selects the voice with
 * `espeak_SetVoiceByName` and calls `espeak_TextToPhonemes(&text, espeakCHARS_AUTO,
 * espeakPHONEMES_IPA)` once per clause. espeak-ng drops punctuation from the phonemes, so
 * Piper looks at the last non-space character of the text each clause consumed and puts
 * the punctuation back: "." "?" "!" are appended and end the sentence; "," ":" ";" are
 * appended followed by a space. It removes language-switch flags ("(fr)…(en)") and
 * NFD-decomposes the result. One phoneme string per sentence; Piper synthesises each alone.
 *
 * The wasm build exposes `espeak_TextToPhonemes` only through a loop over all clauses
 * (clauses joined by " | "), not the text pointer, so the terminators are recovered here:
 * the text is split with espeak-ng's own clause rules (below) and, when that gives as many
 * clauses as espeak-ng found, each of espeak's clauses gets its terminator; otherwise
 * (a split rule we do not mirror) each of our pieces is phonemised on its own. The clause
 * phonemes themselves are exactly espeak-ng's: for the English voices they match the
 * phoneme trace that `espeak-ng -q --ipa -v VOICE` prints, clause for clause (checked).
 *
 * One deviation: where espeak-ng ends a clause at something Piper does not keep (a dash or
 * "…" followed by a space, a blank line), Piper glues the two clauses together with no
 * space; here they are joined by a space.
 *
 * `voiceName` is an espeak-ng voice as `espeak-ng -v` and Piper's voice configs
 * (`espeak.voice`) name it: "en-us", "en-gb-x-rp", "gmw/en-GB-scotland", or a language
 * such as "en-gb" (espeak's plain British voice, gmw/en). Note that collar's accent name
 * "en-GB" means RP in the espeak engine; here "en-GB" is espeak-ng's, so pass "en-GB-x-rp"
 * for RP.
 */
import { UnknownVoiceError } from '../tts-engine.js';
import { type EspeakDataVoice, loadEspeakRuntime } from './espeak-module.js';

export type ClauseTerminator = '.' | '?' | '!' | ',' | ':' | ';';

export interface EspeakClauseText {
  text: string;
  /** The punctuation Piper keeps after this clause, if any. */
  terminator: ClauseTerminator | undefined;
  /** Piper starts a new sentence after this clause ("." "?" "!"). */
  endsSentence: boolean;
}

export interface PhonemizeOptions {
  signal?: AbortSignal;
}

/** Characters that end an espeak-ng clause when followed by whitespace or the end of text. */
const CLAUSE_PUNCTUATION = new Set(['.', '?', '!', ',', ':', ';', '…', '—', '–']);
/** Closing quotes and brackets that may sit between the punctuation and the space. */
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '}', '»']);
const KEPT: ReadonlySet<string> = new Set<ClauseTerminator>(['.', '?', '!', ',', ':', ';']);

/**
 * Splits text where espeak-ng's ReadClause ends a clause (English voices): a run of
 * clause punctuation (optionally followed by closing quotes or brackets) followed by
 * whitespace or the end; a single "." followed by a lower-case word is an abbreviation
 * ("e.g. two") and does not end the clause; a blank line ends one. Numbers ("3.5",
 * "10:30") never split: the punctuation is not followed by whitespace.
 */
export function splitEspeakClauses(text: string): EspeakClauseText[] {
  const clauses: EspeakClauseText[] = [];
  let start = 0;
  const push = (end: number, terminator: ClauseTerminator | undefined, endsSentence: boolean) => {
    const piece = text.slice(start, end).trim();
    if (piece !== '') clauses.push({ text: piece, terminator, endsSentence });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '\n') {
      const blank = /^\n[^\S\n]*\n/.exec(text.slice(i));
      if (blank) {
        push(i, undefined, false);
        i += blank[0].length - 1;
      }
      continue;
    }
    if (!CLAUSE_PUNCTUATION.has(char)) continue;
    let runEnd = i;
    while (runEnd < text.length && CLAUSE_PUNCTUATION.has(text[runEnd] as string)) runEnd++;
    let end = runEnd;
    while (end < text.length && CLOSERS.has(text[end] as string)) end++;
    const next = text[end];
    if (next !== undefined && !/\s/.test(next)) {
      i = runEnd - 1;
      continue;
    }
    const run = text.slice(i, runEnd);
    if (run === '.' && /^\s*\p{Ll}/u.test(text.slice(end))) {
      i = end - 1;
      continue;
    }
    const last = run[run.length - 1] as string;
    const terminator = KEPT.has(last) ? (last as ClauseTerminator) : undefined;
    push(end, terminator, terminator === '.' || terminator === '?' || terminator === '!');
    i = end - 1;
  }
  push(text.length, undefined, true);
  return clauses;
}

/** Piper's clean-up of one clause's phonemes: no language-switch flags, NFD. */
function piperClausePhonemes(phonemes: string): string {
  return phonemes
    .replace(/\([^)]*\)/g, '')
    .normalize('NFD')
    .trim();
}

/** Assembles clause phonemes and terminators into Piper's one-string-per-sentence form. */
export function assembleSentences(clauses: ReadonlyArray<{ phonemes: string; clause: EspeakClauseText }>): string[] {
  const sentences: string[] = [];
  let current = '';
  for (const { phonemes, clause } of clauses) {
    current += piperClausePhonemes(phonemes);
    if (clause.terminator === undefined) {
      current += ' ';
    } else if (clause.endsSentence) {
      sentences.push(`${current.trim()}${clause.terminator}`);
      current = '';
    } else {
      current = `${current.trim()}${clause.terminator} `;
    }
  }
  if (current.trim() !== '') sentences.push(current.trim());
  return sentences.map((sentence) => sentence.replace(/ {2,}/g, ' '));
}

function fileName(identifier: string): string {
  return (identifier.split('/').pop() ?? identifier).toLowerCase();
}

/** Whether espeak-ng can select `name` (identifier, voice file, display name or language). */
export function isEspeakVoice(name: string, voices: readonly EspeakDataVoice[]): boolean {
  const base = (name.split('+')[0] ?? '').trim().toLowerCase();
  if (base === '') return false;
  return voices.some(
    (voice) =>
      voice.identifier.toLowerCase() === base ||
      fileName(voice.identifier) === base ||
      voice.name.toLowerCase() === base ||
      voice.languages.some((language) => language.name.toLowerCase() === base),
  );
}

function unknownVoice(name: string, voices: readonly EspeakDataVoice[]): UnknownVoiceError {
  const english = voices
    .filter((voice) => voice.languages.some((language) => language.name.startsWith('en')))
    .map((voice) => voice.identifier.split('/').pop() ?? voice.identifier);
  return new UnknownVoiceError(
    `espeak-ng has no voice "${name}"; English voices: ${english.join(', ')} (and ${voices.length - english.length} other languages)`,
  );
}

/**
 * espeak-ng's IPA for each clause of `text`, punctuation dropped, exactly as
 * `espeak_TextToPhonemes(…, espeakPHONEMES_IPA)` returns it (the lines of
 * `espeak-ng -q --ipa -v VOICE`), paired with the clause text and terminator it came from.
 */
export async function phonemizeClauses(
  text: string,
  voiceName: string,
  options: PhonemizeOptions = {},
): Promise<Array<{ phonemes: string; clause: EspeakClauseText }>> {
  const runtime = await loadEspeakRuntime();
  if (!isEspeakVoice(voiceName, runtime.dataVoices)) throw unknownVoice(voiceName, runtime.dataVoices);
  const clauses = splitEspeakClauses(text);
  if (clauses.length === 0) return [];
  return runtime.run((session) => {
    if (!session.selectVoice(voiceName)) throw unknownVoice(voiceName, runtime.dataVoices);
    const whole = session.textToPhonemes(text);
    while (whole.length > clauses.length && whole[whole.length - 1] === '') whole.pop();
    if (whole.length === clauses.length) {
      return clauses.map((clause, i) => ({ phonemes: whole[i] as string, clause }));
    }
    return clauses.map((clause) => ({
      phonemes: session
        .textToPhonemes(clause.text)
        .filter((part) => part !== '')
        .join(' '),
      clause,
    }));
  }, options.signal);
}

/** One IPA string per sentence, punctuation kept, as Piper's phonemizer builds them. */
export async function phonemizeSentences(
  text: string,
  voiceName: string,
  options: PhonemizeOptions = {},
): Promise<string[]> {
  return assembleSentences(await phonemizeClauses(text, voiceName, options));
}

/** The whole text's IPA in Piper's form: its sentences joined by a space. */
export async function phonemize(text: string, voiceName: string, options: PhonemizeOptions = {}): Promise<string> {
  return (await phonemizeSentences(text, voiceName, options)).join(' ');
}
