/**
 * A small traditional → simplified map for characters common in parent-to-child speech,
 * in case the recogniser (or a family's own file) writes traditional characters. It is not
 * a general converter: characters outside it are compared as written.
 */
const TRADITIONAL_SIMPLIFIED_PAIRS = [
  '飯饭 覺觉 學学 書书 寶宝 貝贝 媽妈 們们 這这 個个 來来 說说 話话 嗎吗 麼么 過过 聽听 見见',
  '樂乐 愛爱 親亲 開开 關关 電电 視视 東东 讓让 對对 為为 氣气 歡欢 樣样 邊边 兒儿 隻只 時时',
  '間间 鐘钟 餓饿 飽饱 麵面 湯汤 蘋苹 熱热 燙烫 險险 別别 動动 傷伤 頭头 幫帮 謝谢 髮发 臉脸',
  '乾干 淨净 門门 車车 馬马 點点 還还 沒没 會会 給给 襪袜 褲裤 帶带 睏困 聰聪 腳脚 裡里 裏里',
  '後后 師师 園园 畫画 積积 戲戏 鬧闹 難难 醫医 藥药 請请 應应 該该 準准 備备 剛刚 錯错 壞坏',
  '買买 廁厕 嚇吓 讀读 寫写 數数 從从 雙双 穿穿 髒脏 聲声 燈灯 鬆松 緊紧 雞鸡 蛋蛋 魚鱼 蝦虾',
]
  .join(' ')
  .split(' ')
  .filter((pair) => pair[0] !== pair[1]);

export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = new Map(
  TRADITIONAL_SIMPLIFIED_PAIRS.map((pair) => [pair.charAt(0), pair.charAt(1)]),
);
