import { describe, expect, it } from 'vitest';
import { normaliseChinese } from '../../../pipeline/text/phrasebook/normalise-chinese.js';

describe('normaliseChinese', () => {
  it.each([
    ['该睡觉了。', '该睡觉了', 'punctuation'],
    ['  该 睡觉 了 ', '该睡觉了', 'whitespace'],
    ['吃饭了！😀👍🏽', '吃饭了', 'emoji with a skin-tone modifier'],
    ['ＡＢＣ１２３，吃饭', 'abc123吃饭', 'full-width Latin and digits (NFKC) and lowercase'],
    ['吃饭啦', '吃饭', 'a softening final particle'],
    ['我们走吧吧', '我们走', 'repeated final particles'],
    ['好吧', '好吧', 'a particle that would leave one character'],
    ['你呢', '你呢', 'two characters stay two'],
    ['饿了吗', '饿了吗', '吗 turns a statement into a question, so it stays'],
    ['嗯，该睡觉了', '该睡觉了', 'a hesitation'],
    ['那个，该睡觉了', '该睡觉了', 'a leading 那个 filler'],
    ['那个那个快过来', '快过来', 'a repeated filler'],
    ['该睡覺了', '该睡觉了', 'a traditional character'],
    ['嗯。。', '', 'nothing but a filler'],
  ])('%s → %s (%s)', (input, expected) => {
    expect(normaliseChinese(input)).toBe(expected);
  });
});
