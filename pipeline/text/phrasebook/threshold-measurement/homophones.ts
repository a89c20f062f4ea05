/**
 * Groups of Mandarin characters a recogniser confuses because they sound the same (or
 * differ only in tone). The measurement swaps a character for the next one in its group.
 * Used only to simulate recognition errors; the matcher itself knows nothing of it.
 */
const HOMOPHONE_GROUPS = [
  '在再',
  '做作坐',
  '的得地',
  '他她它',
  '吗嘛',
  '已以一衣',
  '是事时市',
  '里理',
  '会回',
  '睡税',
  '觉叫',
  '洗喜',
  '澡早',
  '牙芽',
  '服福',
  '鞋写',
  '学雪',
  '好号',
  '宝饱保',
  '快块',
  '去趣',
  '手首守',
  '喝和合',
  '奶乃',
  '玩完晚',
  '慢满',
  '点电店',
  '走奏',
  '跑泡',
  '书输叔',
  '看砍',
  '抱报包',
  '亲清',
  '哭苦',
  '疼腾',
  '要药',
  '不布步',
  '就旧救',
  '还孩',
  '脸连',
  '头投',
  '换欢',
  '帽冒',
  '冷愣',
  '饭范',
  '穿川',
  '吃迟',
  '来莱',
  '真针',
  '棒帮',
  '乖怪',
  '怕爬',
  '师诗',
  '下吓',
  '上尚',
  '心新',
  '带戴',
] as const;

const NEXT_HOMOPHONE: ReadonlyMap<string, string> = new Map(
  HOMOPHONE_GROUPS.flatMap((group) => {
    const chars = Array.from(group);
    return chars.map((char, i) => [char, chars[(i + 1) % chars.length] as string] as const);
  }),
);

/** A character that sounds like `char`, or undefined when the table has none. */
export function homophoneOf(char: string): string | undefined {
  return NEXT_HOMOPHONE.get(char);
}
