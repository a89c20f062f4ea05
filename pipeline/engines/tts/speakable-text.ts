/**
 * Text a voice can say. English from MT or the phrasebook may still hold things no
 * English voice should try to pronounce: emoji, Chinese characters that MT passed through,
 * control characters, markup-ish symbols. They are removed (or, for a few symbols, spelled
 * out) before the engine sees the text, and what was removed is reported.
 */
export interface SpeakableText {
  text: string;
  /** Characters that were dropped, in order, for the log. */
  removed: string[];
}

/** Symbols a child-directed sentence may contain that read better as words. */
const SPOKEN_SYMBOLS: ReadonlyArray<[RegExp, string]> = [
  [/&/g, ' and '],
  [/%/g, ' percent'],
  [/\+/g, ' plus '],
  [/°C/g, ' degrees'],
];

/** Letters, digits, spaces and ordinary punctuation of Latin-script English. */
const SPEAKABLE = /[\p{Script=Latin}\p{Nd}\s.,!?;:'"’‘“”()\-–—…]/u;

export function speakableText(input: string): SpeakableText {
  let text = input.normalize('NFKC');
  for (const [pattern, words] of SPOKEN_SYMBOLS) text = text.replace(pattern, words);
  const removed: string[] = [];
  let kept = '';
  for (const char of text) {
    if (SPEAKABLE.test(char)) {
      kept += char;
    } else {
      removed.push(char);
      kept += ' ';
    }
  }
  return {
    text: kept
      .replace(/\s+/g, ' ')
      .replace(/\s+([.,!?;:…])/g, '$1')
      .trim(),
    removed,
  };
}
