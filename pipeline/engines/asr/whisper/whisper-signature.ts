/**
 * The inputs and outputs of a Whisper model exported by Hugging Face optimum for
 * transformers.js (onnx-community/whisper-{tiny,base,small}: `encoder_model*.onnx` + the
 * merged decoder `decoder_model_merged*.onnx`; int8 weights, float32 inputs and outputs):
 *
 * Encoder:  input_features float32 [batch_size, num_mel_bins, 2 × max_source_positions]
 *             (80 × 3000: one 30 s window of log-mel; optimum fixes all but the batch)
 *           → last_hidden_state float32 [batch_size, max_source_positions, d_model]
 *             (1500 × 384 for tiny; optimum names the frames "encoder_sequence_length / 2")
 * Decoder:  input_ids int64 [batch_size, decoder_sequence_length],
 *           encoder_hidden_states float32 [batch_size, max_source_positions, d_model],
 *           past_key_values.{0..L-1}.{decoder,encoder}.{key,value}
 *             float32 [batch_size, heads, past_decoder_sequence_length | encoder_sequence_length_out, head_dim],
 *           use_cache_branch bool [1]
 *           → logits float32 [batch_size, decoder_sequence_length, vocab_size],
 *             present.{0..L-1}.{decoder,encoder}.{key,value} float32.
 * Whisper's decoder has no encoder attention mask (every window is a full 30 s).
 *
 * A fixed size in the expectation also accepts a symbolic dimension (the exporter may name
 * it). The past inputs' batch must be the symbol `batch_size` and their sequence free:
 * transformers.js builds the empty first-step cache from this metadata, resolving
 * `batch_size` to the batch and any other symbol to 0 (see marian-signature.ts).
 */

import { type ExpectedSignature, mergedDecoderCacheSpecs, signatureProblems } from '../../mt/marian-signature.js';
import { ModelMismatchError, type ort } from '../../onnx-session.js';

export interface WhisperDims {
  /** d_model. */
  hidden: number;
  decoderLayers: number;
  heads: number;
  headDim: number;
  vocabSize: number;
  melBins: number;
  /** max_source_positions: encoder frames per 30 s window (1500). */
  encoderFrames: number;
}

export function whisperEncoderSignature(dims: WhisperDims): ExpectedSignature {
  return {
    inputs: [{ name: 'input_features', type: 'float32', shape: [null, dims.melBins, 2 * dims.encoderFrames] }],
    outputs: [{ name: 'last_hidden_state', type: 'float32', shape: [null, dims.encoderFrames, dims.hidden] }],
  };
}

export function whisperDecoderSignature(dims: WhisperDims): ExpectedSignature {
  const cache = mergedDecoderCacheSpecs(dims.decoderLayers, dims.heads, dims.headDim);
  return {
    inputs: [
      { name: 'input_ids', type: 'int64', shape: [null, null] },
      { name: 'encoder_hidden_states', type: 'float32', shape: [null, dims.encoderFrames, dims.hidden] },
      ...cache.inputs,
    ],
    outputs: [{ name: 'logits', type: 'float32', shape: [null, null, dims.vocabSize] }, ...cache.outputs],
  };
}

/** Every way the two sessions differ from the Whisper signature, one line each. */
export function whisperSignatureProblems(
  dims: WhisperDims,
  parts: {
    encoder: { label: string; session: ort.InferenceSession };
    decoder: { label: string; session: ort.InferenceSession };
  },
): string[] {
  return [
    ...signatureProblems(
      parts.encoder.label,
      parts.encoder.session.inputMetadata,
      parts.encoder.session.outputMetadata,
      whisperEncoderSignature(dims),
    ),
    ...signatureProblems(
      parts.decoder.label,
      parts.decoder.session.inputMetadata,
      parts.decoder.session.outputMetadata,
      whisperDecoderSignature(dims),
    ),
  ];
}

/** Throws ModelMismatchError listing every problem, if any. */
export function throwIfMismatched(modelName: string, problems: readonly string[]): void {
  if (problems.length > 0)
    throw new ModelMismatchError(`${modelName} does not match the Whisper engine:\n  - ${problems.join('\n  - ')}`);
}
