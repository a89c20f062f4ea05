/**
 * The translator interface. An engine loads its model once; `translate` takes one turn of
 * recognised Chinese (possibly several sentences), splits it into sentences, translates
 * each (or takes it from the cache) and joins the English with spaces. Barge-in aborts a
 * translation through `signal`: it stops between decoder steps and rejects with the
 * signal's reason.
 */

export interface MtTranslateOptions {
  /** 1 = greedy; 2–4 = beam search with length normalisation. Default: the engine's. */
  beamWidth?: number;
  signal?: AbortSignal;
}

export interface MtSentence {
  /** The piece of the turn that was translated (trimmed, punctuation kept). */
  source: string;
  /** Its English; empty when nothing in it could be translated (unknown script only). */
  target: string;
  fromCache: boolean;
  elapsedMs: number;
}

export interface MtResult {
  /** The sentences' English joined with single spaces (empty ones left out). */
  text: string;
  sentences: MtSentence[];
  elapsedMs: number;
}

export interface MtEngine {
  readonly id: string;
  translate(text: string, options?: MtTranslateOptions): Promise<MtResult>;
  dispose(): Promise<void>;
}

/** The widest beam an engine accepts: more costs latency for little gain on a small CPU. */
export const MAX_BEAM_WIDTH = 4;

/** `beamWidth` as given, if it is an integer in [1, MAX_BEAM_WIDTH]; RangeError otherwise. */
export function checkBeamWidth(beamWidth: number): number {
  if (!Number.isInteger(beamWidth) || beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH)
    throw new RangeError(`beamWidth must be an integer from 1 to ${MAX_BEAM_WIDTH}, got ${beamWidth}`);
  return beamWidth;
}
