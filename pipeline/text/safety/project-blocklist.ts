/**
 * Words obscenity's English set doesn't cover that a child shouldn't hear from a
 * mistranslation. Kept modest on purpose: unambiguous adult words only, not words with an
 * everyday meaning a parent uses (kill time, weed the garden, high, stoned fruit, naked
 * in the bath, die, dead). Each pattern is an obscenity pattern: `|` is a word edge, so
 * `|heroin|` leaves "heroine" alone and `|murder` also catches "murdered"/"murderer"
 * (the filter widens every hit to the whole word).
 *
 * Patterns are matched after obscenity's transformers, which collapse repeated letters
 * (only b, e, o, l, s and g may stay doubled), so they are written collapsed: "dammit" is
 * `damit`, "stripper" `striper`, "cannabis" `canabis`. The tests say every word is caught.
 */
import type { BlockedCategory } from './blocked-categories.js';

export interface ProjectBlockedWord {
  word: string;
  category: BlockedCategory;
  patterns: readonly string[];
}

export const PROJECT_BLOCKLIST: readonly ProjectBlockedWord[] = [
  { word: 'damn', category: 'profanity', patterns: ['|damn', '|godamn', '|damit'] },
  { word: 'crap', category: 'profanity', patterns: ['|crap|', '|crapy|'] },
  { word: 'hell', category: 'profanity', patterns: ['|hell|'] },
  { word: 'wtf', category: 'profanity', patterns: ['|wtf|', '|stfu|'] },
  { word: 'douche', category: 'profanity', patterns: ['|douche'] },
  { word: 'sexual', category: 'sexual', patterns: ['|sexual', '|sexy|'] },
  { word: 'intercourse', category: 'sexual', patterns: ['|intercourse'] },
  { word: 'erotic', category: 'sexual', patterns: ['|erotic'] },
  { word: 'prostitute', category: 'sexual', patterns: ['|prostitut'] },
  { word: 'brothel', category: 'sexual', patterns: ['|brothel'] },
  { word: 'stripper', category: 'sexual', patterns: ['|striper'] },
  { word: 'horny', category: 'sexual', patterns: ['|horny|'] },
  { word: 'condom', category: 'sexual', patterns: ['|condom'] },
  { word: 'nude', category: 'sexual', patterns: ['|nude|', '|nudes|'] },
  { word: 'cocaine', category: 'drugs', patterns: ['|cocaine'] },
  { word: 'heroin', category: 'drugs', patterns: ['|heroin|'] },
  { word: 'meth', category: 'drugs', patterns: ['|meth|', '|methamphetamine'] },
  { word: 'marijuana', category: 'drugs', patterns: ['|marijuana', '|canabis'] },
  { word: 'narcotic', category: 'drugs', patterns: ['|narcotic'] },
  { word: 'opium', category: 'drugs', patterns: ['|opium'] },
  { word: 'overdose', category: 'drugs', patterns: ['|overdos'] },
  { word: 'junkie', category: 'drugs', patterns: ['|junkie'] },
  { word: 'murder', category: 'violence', patterns: ['|murder'] },
  { word: 'slaughter', category: 'violence', patterns: ['|slaughter'] },
  { word: 'massacre', category: 'violence', patterns: ['|massacre'] },
  { word: 'behead', category: 'violence', patterns: ['|behead', '|decapitat'] },
  { word: 'dismember', category: 'violence', patterns: ['|dismember', '|mutilat'] },
  { word: 'torture', category: 'violence', patterns: ['|tortur'] },
  { word: 'suicide', category: 'violence', patterns: ['|suicid'] },
  { word: 'strangle', category: 'violence', patterns: ['|strangl'] },
  { word: 'corpse', category: 'violence', patterns: ['|corpse'] },
  { word: 'kill you', category: 'violence', patterns: ['|kill you|', '|kill yourself|'] },
];

/**
 * Innocent words that contain a blocked pattern (the Scunthorpe problem) and that a
 * child might well hear: obscenity already spares class, assess, grass, Dickens, ….
 */
export const INNOCENT_WORDS: readonly string[] = [
  'cockpit',
  'cockatoo',
  'cockatiel',
  'cockerel',
  'cockle',
  'cocker spaniel',
  'hitchcock',
  'moby dick',
  'moby-dick',
  'dick whittington',
  'shiitake',
  'pussycat',
  'pussy cat',
  'pussy willow',
  'blue tit',
  'great tit',
  'titmouse',
];

/**
 * Body-part names a parent uses at bath time and that child-safety guidance asks parents to
 * teach by their proper names; obscenity lists them, the filter lets them through.
 */
export const ANATOMICAL_WORDS: readonly string[] = ['penis', 'vagina', 'anus'];
