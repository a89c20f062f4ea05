/** Turns a file's sources into the ordered candidates a fetch tries. */
import type { Source } from '../spec.js';
import { urlCandidate } from './http-source.js';
import { mirrorCandidates } from './mirror-source.js';
import { npmCandidate } from './npm-source.js';
import { pypiCandidate } from './pypi-source.js';
import type { SourceCandidate } from './source-context.js';

export type { SourceCandidate, SourceContext } from './source-context.js';
export { SourceFailure } from './source-context.js';

export function candidatesFor(sources: readonly Source[], mirrorRoots: readonly string[]): SourceCandidate[] {
  return sources.flatMap((source) => candidatesForSource(source, mirrorRoots));
}

function candidatesForSource(source: Source, mirrorRoots: readonly string[]): SourceCandidate[] {
  switch (source.kind) {
    case 'url':
      return [urlCandidate(source.url)];
    case 'mirror':
      return mirrorCandidates(source, mirrorRoots);
    case 'npm':
      return [npmCandidate(source)];
    case 'pypi':
      return [pypiCandidate(source)];
  }
}
