/**
 * The last check on English text before it is spoken to a child: profanity (with the
 * usual disguises: f*ck, sh1t, fuuuck, s h i t), slurs, and the adult words in
 * project-blocklist.ts are replaced, and every replacement is logged at warn level for the
 * parent or tester.
 *
 * Each blocked word becomes "oops" rather than being dropped or starred out. The text goes
 * to a speech synthesiser, so asterisks are useless; dropping the word can leave nothing
 * ("Shit!") or a broken sentence, and is silent. "Oops" is harmless for a child to hear,
 * keeps the sentence's rhythm, and lets the parent (who hears the speaker too) notice that
 * the translation went wrong.
 */
import {
  DataSet,
  englishDataset,
  englishRecommendedTransformers,
  type MatchPayload,
  parseRawPattern,
  RegExpMatcher,
} from 'obscenity';
import type { Logger } from '../../logging/logger.js';
import { type BlockedCategory, categoryOfObscenityWord } from './blocked-categories.js';
import { ANATOMICAL_WORDS, INNOCENT_WORDS, PROJECT_BLOCKLIST } from './project-blocklist.js';
import { findSpelledOutRuns } from './spelled-out-words.js';

export const SAFE_SUBSTITUTE = 'oops';

export interface SafetyReplacement {
  /** The word as it was in the text. */
  original: string;
  replacement: string;
  category: BlockedCategory;
  /** Where `original` starts in the text given to clean() (UTF-16 index). */
  startIndex: number;
}

export interface SafeText {
  text: string;
  replacements: SafetyReplacement[];
}

interface BlockedSpan {
  start: number;
  /** Exclusive. */
  end: number;
  category: BlockedCategory;
}

interface WordMetadata {
  originalWord: string;
  category?: BlockedCategory;
}

/** Characters that belong to a word, including the symbols used to disguise one (f*ck, a$$). */
const WORD_CHAR = /[\p{L}\p{N}*$@]/u;

function buildDataset(): DataSet<WordMetadata> {
  const dataset = new DataSet<WordMetadata>()
    .addAll(englishDataset)
    .removePhrasesIf((phrase) => ANATOMICAL_WORDS.includes(phrase.metadata?.originalWord ?? ''));
  for (const blocked of PROJECT_BLOCKLIST) {
    dataset.addPhrase((phrase) => {
      phrase.setMetadata({ originalWord: blocked.word, category: blocked.category });
      for (const pattern of blocked.patterns) phrase.addPattern(parseRawPattern(pattern));
      return phrase;
    });
  }
  return dataset;
}

/** Widens [start, end) to the whole word around it, so "shitty" goes, not "shit" + "ty". */
function widenToWord(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  while (from > 0 && WORD_CHAR.test(text.charAt(from - 1))) from--;
  while (to < text.length && WORD_CHAR.test(text.charAt(to))) to++;
  return [from, to];
}

/** Sorted, overlapping spans merged (the first span's category is kept). */
function mergeSpans(spans: BlockedSpan[]): BlockedSpan[] {
  const merged: BlockedSpan[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** "Oops" where the word was capitalised (usually a sentence start), "oops" elsewhere. */
function substituteFor(original: string): string {
  const first = original.charAt(0);
  return first !== first.toLowerCase()
    ? SAFE_SUBSTITUTE.charAt(0).toUpperCase() + SAFE_SUBSTITUTE.slice(1)
    : SAFE_SUBSTITUTE;
}

/** "a " just before the substitute becomes "an " (the substitute starts with a vowel). */
function withArticleBeforeVowel(textBefore: string): string {
  return textBefore.replace(/(^|[^\p{L}\p{N}])([Aa])(\s+)$/u, '$1$2n$3');
}

export class ChildSafetyFilter {
  private readonly dataset: DataSet<WordMetadata>;
  private readonly matcher: RegExpMatcher;

  constructor(private readonly logger: Logger) {
    this.dataset = buildDataset();
    const { blacklistedTerms, whitelistedTerms = [] } = this.dataset.build();
    this.matcher = new RegExpMatcher({
      blacklistedTerms,
      whitelistedTerms: [...whitelistedTerms, ...INNOCENT_WORDS],
      ...englishRecommendedTransformers,
    });
  }

  clean(text: string): SafeText {
    const spans = mergeSpans([...this.wordSpans(text), ...this.spelledOutSpans(text)]);
    const replacements: SafetyReplacement[] = [];
    let cleaned = '';
    let copiedUpTo = 0;
    for (const span of spans) {
      const original = text.slice(span.start, span.end);
      const replacement = substituteFor(original);
      cleaned += withArticleBeforeVowel(text.slice(copiedUpTo, span.start)) + replacement;
      copiedUpTo = span.end;
      replacements.push({ original, replacement, category: span.category, startIndex: span.start });
      this.logger.warn(
        { category: span.category, word: original, startIndex: span.start, replacement },
        'child-safety filter replaced a word before speaking it',
      );
    }
    return { text: cleaned + text.slice(copiedUpTo), replacements };
  }

  private categoryOf(match: MatchPayload): BlockedCategory {
    const metadata = this.dataset.getPayloadWithPhraseMetadata(match).phraseMetadata;
    return metadata?.category ?? categoryOfObscenityWord(metadata?.originalWord ?? '');
  }

  private wordSpans(text: string): BlockedSpan[] {
    return this.matcher.getAllMatches(text, true).map((match) => {
      const [start, end] = widenToWord(text, match.startIndex, match.endIndex + 1);
      return { start, end, category: this.categoryOf(match) };
    });
  }

  private spelledOutSpans(text: string): BlockedSpan[] {
    return findSpelledOutRuns(text).flatMap(({ joined, letterIndices }) =>
      this.matcher.getAllMatches(joined, true).map((match) => {
        // From the first letter hit to the end of the run: letters before it may be words
        // ("a s h i t"), letters after it are almost always a suffix ("f-u-c-k-i-n-g").
        const start = letterIndices[match.startIndex] ?? 0;
        const end = (letterIndices.at(-1) ?? start) + 1;
        return { start, end, category: this.categoryOf(match) };
      }),
    );
  }
}
