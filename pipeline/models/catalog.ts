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
];
