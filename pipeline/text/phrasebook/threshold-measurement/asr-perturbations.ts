/**
 * Deterministic imitations of how a Mandarin recogniser mis-writes a phrase: homophone
 * substitutions, a dropped or added particle, a leading filler. Each phrasebook variant
 * yields a handful of these; they are the positives of the threshold measurement.
 */
import { homophoneOf } from './homophones.js';

export type PerturbationKind =
  | 'homophone-first'
  | 'homophone-last'
  | 'homophone-two'
  | 'particle-dropped'
  | 'particle-added'
  | 'le-added'
  | 'filler-en'
  | 'filler-nage';

export interface Perturbation {
  kind: PerturbationKind;
  text: string;
}

/** Final particles a recogniser drops or hallucinates. 吗 is left alone: dropping it changes the question. */
const DROPPABLE_FINAL_PARTICLES = new Set(['了', '的', '吧', '啊', '呀', '哦', '啦', '嘛', '呢']);
const PUNCTUATION_AT_END = /[\p{P}\s]+$/u;

function replaceAt(chars: readonly string[], replacements: ReadonlyMap<number, string>): string {
  return chars.map((char, i) => replacements.get(i) ?? char).join('');
}

function homophoneSubstitutions(variant: string): Perturbation[] {
  const chars = Array.from(variant);
  const positions = chars.flatMap((char, i) => (homophoneOf(char) ? [i] : []));
  const first = positions[0];
  const last = positions.at(-1);
  if (first === undefined || last === undefined) return [];
  const swap = (i: number): [number, string] => [i, homophoneOf(chars[i] as string) as string];
  const result: Perturbation[] = [{ kind: 'homophone-first', text: replaceAt(chars, new Map([swap(first)])) }];
  if (last !== first) {
    result.push({ kind: 'homophone-last', text: replaceAt(chars, new Map([swap(last)])) });
    result.push({ kind: 'homophone-two', text: replaceAt(chars, new Map([swap(first), swap(last)])) });
  }
  return result;
}

function particleChanges(variant: string): Perturbation[] {
  const core = variant.replace(PUNCTUATION_AT_END, '');
  const result: Perturbation[] = [];
  const last = core.at(-1) ?? '';
  if (DROPPABLE_FINAL_PARTICLES.has(last) && core.length > 2) {
    result.push({ kind: 'particle-dropped', text: core.slice(0, -1) });
  }
  result.push({ kind: 'particle-added', text: `${core}啊` });
  if (!DROPPABLE_FINAL_PARTICLES.has(last) && last !== '吗') result.push({ kind: 'le-added', text: `${core}了` });
  return result;
}

export function asrPerturbations(variant: string): Perturbation[] {
  return [
    ...homophoneSubstitutions(variant),
    ...particleChanges(variant),
    { kind: 'filler-en', text: `嗯${variant}` },
    { kind: 'filler-nage', text: `那个${variant}` },
  ];
}
