/**
 * What the wearer reads aloud for the gain and mask-leak steps: the opening of "The
 * North Wind and the Sun" in Mandarin, the passage the Handbook of the International
 * Phonetic Association (1999) uses for every language's illustration. It is ordinary
 * connected speech with a broad mix of sounds, which is what the level measurements need.
 */
export const READING_PROMPT_ZH =
  '有一回，北风跟太阳在那儿争论谁的本事大。争来争去就是分不出高低来。这时候路上来了个走道儿的，他身上穿着件厚大衣。他们俩就商量好了，说谁能先叫这个走道儿的把他的厚大衣脱下来，就算谁的本事大。';

export const READING_PROMPT_SOURCE = '"The North Wind and the Sun", Mandarin (Handbook of the IPA, 1999)';
