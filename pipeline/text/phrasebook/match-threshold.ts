/**
 * The matcher's acceptance rules, chosen by measurement (threshold-measurement/, run it
 * with `measureMatchThreshold()`; tests/unit/text/phrasebook-threshold.test.ts keeps the
 * numbers honest).
 *
 * Measured on the built-in book (183 entries): 2,400 recogniser-style perturbations of its
 * variants as positives; 95,910 negative pairs (every variant against every other entry's
 * variants, and 42 out-of-book sentences against every variant).
 *
 *   threshold        0.50   0.55   0.60   0.65   0.70   0.75   0.80   0.85   0.90   0.95
 *   false accepts     132     39     36      7      4      3      3      0      0      0
 *   wrong entry        20      6      5      4      4      4      0      0      0      0
 *   false rejects   12.3%  14.2%  14.2%  16.1%  18.4%  19.3%  25.6%  41.9%  49.2%  49.3%
 *
 * 0.85 is the lowest threshold with no false accept. What forces it up from 0.80 is
 * Mandarin's one-character verbs: 你想吃什么 / 你想喝什么 / 你想要什么 differ by a single
 * character and score 0.80 against each other. The cost is recall on short phrases (a
 * 4–6 character phrase tolerates no substituted character at 0.85), which is the right
 * way round: a missed phrase falls through to ordinary translation, a wrong one tells the
 * child something the parent did not say.
 */
export const MATCH_THRESHOLD = 0.85;

/**
 * Normalised text this short (on either side) matches only when identical. Two or three
 * characters that differ in one are usually a different phrase (别怕 / 别跑, 穿鞋 / 脱鞋,
 * 换衣服 / 脱衣服), yet score 0.5–0.67 — above the lower candidate thresholds. At 0.85
 * one edit to a 3-character text can't pass anyway, so today this changes nothing; it
 * keeps short phrases safe if the threshold is ever lowered (e.g. with a phonetic
 * distance), where the sweep without it showed 211 false accepts at 0.50 instead of 132.
 */
export const EXACT_MATCH_MAX_CHARS = 3;
