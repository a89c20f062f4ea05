/**
 * TEST DOUBLE. A ClauseSynthesizer that "says" each clause as a 440 Hz tone, 50 ms per
 * word, after a fixed delay, and records what it was asked to say.
 */
import type { ClauseSynthesizer, VoiceSelection } from '../../pipeline/engines/tts/tts-engine.js';
import { TtsCancelledError, UnknownVoiceError } from '../../pipeline/engines/tts/tts-engine.js';

export class ToneSynthesizerDouble implements ClauseSynthesizer {
  readonly id = 'tone-double';
  readonly sampleRateHz = 16000;
  readonly said: Array<{ text: string; voice: VoiceSelection }> = [];

  constructor(private readonly delayMs = 5) {}

  voiceNames(): readonly string[] {
    return ['tone'];
  }

  async synthesizeClause(text: string, voice: VoiceSelection, signal?: AbortSignal): Promise<Float32Array> {
    if (voice.voiceName !== 'tone') throw new UnknownVoiceError(`no voice ${voice.voiceName}; try: tone`);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (signal?.aborted) throw new TtsCancelledError('aborted');
    this.said.push({ text, voice });
    const samples = new Float32Array(text.split(/\s+/).length * 800);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000);
    return samples;
  }

  async dispose(): Promise<void> {}
}
