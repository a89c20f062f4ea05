/** What kind of word the child-safety filter took out (logged, and returned to the caller). */
export type BlockedCategory = 'profanity' | 'slur' | 'sexual' | 'drugs' | 'violence';

/**
 * obscenity's English words grouped by kind; any of its words not listed here counts as
 * profanity. Kept as plain strings so a new obscenity release with new words still works.
 */
const OBSCENITY_WORD_CATEGORIES: Readonly<Record<string, BlockedCategory>> = {
  abeed: 'slur',
  abo: 'slur',
  africoon: 'slur',
  arabush: 'slur',
  boonga: 'slur',
  chingchong: 'slur',
  chink: 'slur',
  dyke: 'slur',
  fag: 'slur',
  kike: 'slur',
  negro: 'slur',
  nigger: 'slur',
  retard: 'slur',
  spastic: 'slur',
  tranny: 'slur',
  anal: 'sexual',
  anus: 'sexual',
  bestiality: 'sexual',
  blowjob: 'sexual',
  boob: 'sexual',
  buttplug: 'sexual',
  cum: 'sexual',
  deepthroat: 'sexual',
  dildo: 'sexual',
  doggystyle: 'sexual',
  'double penetration': 'sexual',
  ejaculate: 'sexual',
  felch: 'sexual',
  fellatio: 'sexual',
  'finger bang': 'sexual',
  fisting: 'sexual',
  gangbang: 'sexual',
  handjob: 'sexual',
  hentai: 'sexual',
  hooker: 'sexual',
  incest: 'sexual',
  'jerk off': 'sexual',
  jizz: 'sexual',
  lubejob: 'sexual',
  masturbate: 'sexual',
  orgasm: 'sexual',
  orgy: 'sexual',
  penis: 'sexual',
  porn: 'sexual',
  semen: 'sexual',
  sex: 'sexual',
  slut: 'sexual',
  tit: 'sexual',
  vagina: 'sexual',
  whore: 'sexual',
  rape: 'violence',
};

export function categoryOfObscenityWord(word: string): BlockedCategory {
  return OBSCENITY_WORD_CATEGORIES[word] ?? 'profanity';
}
