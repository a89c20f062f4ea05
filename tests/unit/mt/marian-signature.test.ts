import { describe, expect, it } from 'vitest';
import {
  marianDecoderSignature,
  marianEncoderSignature,
  OPUS_MT_ZH_EN_DIMS,
  pastNames,
  presentName,
  signatureProblems,
} from '../../../pipeline/engines/mt/marian-signature.js';
import type { ort } from '../../../pipeline/engines/onnx-session.js';

type Meta = ort.InferenceSession.ValueMetadata;
const tensor = (name: string, type: string, shape: Array<number | string>): Meta =>
  ({ name, isTensor: true, type, shape }) as Meta;

/** The metadata onnxruntime reports for the optimum export of opus-mt-zh-en. */
function realDecoder(): { inputs: Meta[]; outputs: Meta[] } {
  const past = pastNames(6);
  return {
    inputs: [
      tensor('encoder_attention_mask', 'int64', ['batch_size', 'encoder_sequence_length']),
      tensor('input_ids', 'int64', ['batch_size', 'decoder_sequence_length']),
      tensor('encoder_hidden_states', 'float32', ['batch_size', 'encoder_sequence_length', 512]),
      ...past.map((name) =>
        tensor(name, 'float32', [
          'batch_size',
          8,
          name.includes('.decoder.') ? 'past_decoder_sequence_length' : 'encoder_sequence_length_out',
          64,
        ]),
      ),
      tensor('use_cache_branch', 'bool', [1]),
    ],
    outputs: [
      tensor('logits', 'float32', ['batch_size', 'decoder_sequence_length', 65001]),
      ...past.map((name) => tensor(presentName(name), 'float32', ['batch_size', 8, 'unk__1', 64])),
    ],
  };
}

describe('Marian signature', () => {
  it('names the 24 caches as optimum exports them, in order', () => {
    const names = pastNames(6);
    expect(names).toHaveLength(24);
    expect(names.slice(0, 4)).toEqual([
      'past_key_values.0.decoder.key',
      'past_key_values.0.decoder.value',
      'past_key_values.0.encoder.key',
      'past_key_values.0.encoder.value',
    ]);
    expect(presentName('past_key_values.5.encoder.value')).toBe('present.5.encoder.value');
  });

  it('accepts the real export, with any symbolic names where dims are free', () => {
    const { inputs, outputs } = realDecoder();
    expect(signatureProblems('decoder', inputs, outputs, marianDecoderSignature(OPUS_MT_ZH_EN_DIMS))).toEqual([]);
    const encoder = {
      inputs: [tensor('input_ids', 'int64', ['b', 's']), tensor('attention_mask', 'int64', ['b', 's'])],
      outputs: [tensor('last_hidden_state', 'float32', ['b', 's', 512])],
    };
    expect(
      signatureProblems('encoder', encoder.inputs, encoder.outputs, marianEncoderSignature(OPUS_MT_ZH_EN_DIMS)),
    ).toEqual([]);
  });

  it('lists every difference: type, fixed dim, symbol name, free dim fixed, missing, unexpected', () => {
    const { inputs, outputs } = realDecoder();
    const changed = inputs.map((meta) => {
      if (meta.name === 'input_ids') return tensor('input_ids', 'int32', ['batch_size', 'decoder_sequence_length']);
      if (meta.name === 'past_key_values.0.decoder.key') return tensor(meta.name, 'float32', ['batch', 8, 'p', 32]);
      if (meta.name === 'past_key_values.1.decoder.key') return tensor(meta.name, 'float32', ['batch_size', 8, 4, 64]);
      return meta;
    });
    const problems = signatureProblems(
      'decoder',
      [...changed.filter((meta) => meta.name !== 'use_cache_branch'), tensor('position_ids', 'int64', ['b'])],
      outputs.filter((meta) => meta.name !== 'present.3.decoder.value'),
      marianDecoderSignature(OPUS_MT_ZH_EN_DIMS),
    );
    expect(problems).toEqual([
      'decoder: input "input_ids" is int32, expected int64',
      'decoder: input "past_key_values.0.decoder.key" dimension 0 is "batch" where the symbol "batch_size" is expected',
      'decoder: input "past_key_values.0.decoder.key" dimension 3 is 32 where 64 is expected',
      'decoder: input "past_key_values.1.decoder.key" dimension 2 is fixed 4 where a free dimension is expected',
      expect.stringMatching(/^decoder: missing input "use_cache_branch" \(it has encoder_attention_mask int64/),
      expect.stringMatching(/^decoder: missing output "present\.3\.decoder\.value"/),
      'decoder: unexpected input "position_ids" (position_ids int64[b])',
    ]);
  });
});
