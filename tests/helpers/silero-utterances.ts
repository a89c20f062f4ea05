/**
 * The real Silero VAD (v6, in place from node_modules: nothing to download) and the
 * endpointer, loaded once per describe block: `utterancesIn(signal)` gives the
 * utterances it finds in a 16 kHz signal, from a reset state each time.
 */
import { afterAll, beforeAll } from 'vitest';
import type { SileroVad } from '../../pipeline/engines/vad/silero-vad.js';
import { detectSpeechSegments, SpeechDetector, type SpeechSegment } from '../../pipeline/stages/vad/speech-detector.js';
import { loadSileroVad } from '../../pipeline/stages/vad/vad-stage.js';
import { storeWithoutDownloads } from './frontend-models.js';

export function useSileroUtterances(): (signal: Float32Array) => Promise<SpeechSegment[]> {
  let vad: SileroVad | undefined;
  let cleanup: (() => void) | undefined;
  beforeAll(async () => {
    const empty = storeWithoutDownloads();
    cleanup = empty.remove;
    vad = await loadSileroVad('v6', empty.store);
  });
  afterAll(async () => {
    await vad?.close();
    cleanup?.();
  });
  return async (signal) => {
    if (!vad) throw new Error('useSileroUtterances: the VAD is loaded in beforeAll; call this from a test');
    vad.reset();
    return detectSpeechSegments(new SpeechDetector(vad), signal);
  };
}
