/**
 * Words spelled out letter by letter ("f u c k", "s.h.i.t", "f-u-c-k"), which obscenity
 * reads as separate letters. Each run of three or more single letters is offered to the
 * matcher joined up, and a hit is mapped back to where its letters are in the text.
 */
const SPELLED_OUT_RUN = /(?<![\p{L}\p{N}])\p{L}(?:[\s.\-_*]+\p{L}){2,}(?![\p{L}\p{N}])/gu;
const LETTER = /\p{L}/gu;

export interface SpelledOutRun {
  /** The letters joined, e.g. "fuck" for "f u c k". */
  joined: string;
  /** Where each letter of `joined` is in the text (UTF-16 index). */
  letterIndices: number[];
}

export function findSpelledOutRuns(text: string): SpelledOutRun[] {
  return Array.from(text.matchAll(SPELLED_OUT_RUN), (run) => {
    const letters = Array.from(run[0].matchAll(LETTER));
    return {
      joined: letters.map((letter) => letter[0]).join(''),
      letterIndices: letters.map((letter) => run.index + letter.index),
    };
  });
}
