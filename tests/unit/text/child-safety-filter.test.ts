import { describe, expect, it } from 'vitest';
import { ChildSafetyFilter, SAFE_SUBSTITUTE } from '../../../pipeline/text/safety/child-safety-filter.js';
import { PROJECT_BLOCKLIST } from '../../../pipeline/text/safety/project-blocklist.js';
import { captureLogger } from '../../doubles/test-logger.js';

function filterWithLog() {
  const captured = captureLogger();
  return { filter: new ChildSafetyFilter(captured.logger), lines: captured.lines };
}

const { filter } = filterWithLog();

describe('ChildSafetyFilter: blocked words', () => {
  it.each([
    ['What the fuck is that?', 'What the oops is that?', [['fuck', 'profanity', 9]]],
    ['Shit!', 'Oops!', [['Shit', 'profanity', 0]]],
    ['Put on your fucking shoes.', 'Put on your oops shoes.', [['fucking', 'profanity', 12]]],
    ['That is shitty.', 'That is oops.', [['shitty', 'profanity', 8]]],
    ['f*ck this', 'oops this', [['f*ck', 'profanity', 0]]],
    ['sh1t happens', 'oops happens', [['sh1t', 'profanity', 0]]],
    ['fuuuuuck', 'oops', [['fuuuuuck', 'profanity', 0]]],
    ['ｆｕｃｋ', 'oops', [['ｆｕｃｋ', 'profanity', 0]]],
    ['s h i t, I dropped it', 'oops, I dropped it', [['s h i t', 'profanity', 0]]],
    ['you f.u.c.k-i-n-g kid', 'you oops kid', [['f.u.c.k-i-n-g', 'profanity', 4]]],
    ['what a s h i t day', 'what an oops day', [['s h i t', 'profanity', 7]]],
    ['You are a bitch', 'You are an oops', [['bitch', 'profanity', 10]]],
    ['He is a motherfucker', 'He is an oops', [['motherfucker', 'profanity', 8]]],
    [
      'What the hell, damn it',
      'What the oops, oops it',
      [
        ['hell', 'profanity', 9],
        ['damn', 'profanity', 15],
      ],
    ],
    ['Watch porn with me', 'Watch oops with me', [['porn', 'sexual', 6]]],
    ['Do you want sex', 'Do you want oops', [['sex', 'sexual', 12]]],
    ['That is sexual', 'That is oops', [['sexual', 'sexual', 8]]],
    [
      'He sells cocaine and heroin',
      'He sells oops and oops',
      [
        ['cocaine', 'drugs', 9],
        ['heroin', 'drugs', 21],
      ],
    ],
    ['The man was murdered', 'The man was oops', [['murdered', 'violence', 12]]],
    ['I will kill you', 'I will oops', [['kill you', 'violence', 7]]],
    ['Go kill yourself', 'Go oops', [['kill yourself', 'violence', 3]]],
    ['a stupid retard', 'a stupid oops', [['retard', 'slur', 9]]],
    ['🙂 fuck 🙂', '🙂 oops 🙂', [['fuck', 'profanity', 3]]],
    ['妈妈说 fuck', '妈妈说 oops', [['fuck', 'profanity', 4]]],
  ] as const)('%s → %s', (input, expected, words) => {
    const result = filter.clean(input);
    expect(result.text).toBe(expected);
    expect(result.replacements).toEqual(
      words.map(([original, category, startIndex]) => ({
        original,
        replacement: /^\p{Lu}/u.test(original) ? 'Oops' : SAFE_SUBSTITUTE,
        category,
        startIndex,
      })),
    );
    for (const { original, startIndex } of result.replacements) {
      expect(input.slice(startIndex, startIndex + original.length)).toBe(original);
    }
  });

  it.each(PROJECT_BLOCKLIST.map((blocked) => blocked.word))('catches the project word "%s"', (word) => {
    const result = filter.clean(`They said ${word} today.`);
    expect(result.replacements.map((r) => r.original)).toEqual([word]);
  });

  it.each([
    ['dammit', 'profanity'],
    ['goddamn', 'profanity'],
    ['crappy', 'profanity'],
    ['stripper', 'sexual'],
    ['cannabis', 'drugs'],
    ['methamphetamine', 'drugs'],
    ['overdosed', 'drugs'],
    ['slaughtered', 'violence'],
    ['tortured', 'violence'],
    ['beheading', 'violence'],
  ] as const)('catches the inflected or doubled-letter word "%s"', (word, category) => {
    expect(filter.clean(`the ${word} thing`).replacements).toEqual([
      { original: word, replacement: 'oops', category, startIndex: 4 },
    ]);
  });
});

describe('ChildSafetyFilter: innocent text', () => {
  it.each([
    'Time for class, sweetie.',
    'Your teacher will assess your drawing.',
    'Did you finish your assignment?',
    "Let's sit on the grass.",
    'Look, a shell on the beach!',
    'We did an analysis of the leaves.',
    'The therapist is very nice.',
    'Hello there, little one.',
    "He'll be here soon, and I'll read you a story.",
    'Look at the pilot in the cockpit!',
    'A cockatoo and a peacock at the zoo.',
    "Let's read Moby Dick and Moby-Dick, and a book by Dickens.",
    'The pussycat sat on the mat.',
    'We put shiitake mushrooms in the soup.',
    'A blue tit is a little bird.',
    'We drove through Scunthorpe and Essex.',
    'The heroine saves the day!',
    "Let's scrap that idea and try a new method.",
    "We're just killing time until Grandma arrives.",
    'Do you have a cucumber in your lunch box?',
    'Put the grapes in the basket.',
    'Pass the glass to your brother.',
    'The button is on your coat.',
    "Let's count: a b c d e!",
    'Wash your body in the bath, and your bottom too.',
    'Is the document in the bag?',
    'Those are cumulus clouds.',
    'The snake hissed.',
    // Proper names of body parts, as child-safety guidance asks parents to teach them.
    'Wash your penis and your bottom, then rinse.',
    'Girls have a vagina; that part is private.',
  ])('%s', (sentence) => {
    expect(filter.clean(sentence)).toEqual({ text: sentence, replacements: [] });
  });

  it('passes the empty string through', () => {
    expect(filter.clean('')).toEqual({ text: '', replacements: [] });
  });

  it('passes non-Latin text through', () => {
    for (const text of ['该睡觉了，宝贝。', 'Привет, малыш', 'こんにちは', '🙂👍']) {
      expect(filter.clean(text)).toEqual({ text, replacements: [] });
    }
  });
});

describe('ChildSafetyFilter: logging', () => {
  it('logs every replacement at warn level with the category, the word and its position', () => {
    const { filter: logged, lines } = filterWithLog();
    logged.clean('What the fuck, he sells cocaine.');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, category: 'profanity', word: 'fuck', startIndex: 9, replacement: 'oops' }),
      expect.objectContaining({ level: 40, category: 'drugs', word: 'cocaine', startIndex: 24, replacement: 'oops' }),
    ]);
  });

  it('logs nothing for clean text', () => {
    const { filter: logged, lines } = filterWithLog();
    logged.clean('Good night, sweetheart.');
    expect(lines).toEqual([]);
  });
});
