/** The ASR stage on the SenseVoice stand-in: per-utterance streams, partials, finals at the VAD's end. */
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectedSenseVoiceText,
  lfrFramesFor,
  writeSenseVoiceStandIn,
} from '../../../bench/stand-ins/asr-stand-ins.js';
import type { AudioFrame } from '../../../pipeline/bus/audio-frame.js';
import { SenseVoiceEngine } from '../../../pipeline/engines/asr/sense-voice-engine.js';
import { AsrStage, type TranscriptEvent } from '../../../pipeline/stages/asr/asr-stage.js';
import { recordingStageContext } from '../../doubles/recording-stage-context.js';
import { tempDir } from '../../helpers/model-cache.js';

const dir = tempDir('asr-stage');
afterAll(() => dir.remove());
const paths = writeSenseVoiceStandIn(dir.path);
const FRAME = 320;

/** Int16 frames of loud noise for one utterance, as the VAD stage tags them. */
function utteranceFrames(utteranceId: string, startSample: number, frameCount: number): AudioFrame[] {
  return Array.from({ length: frameCount }, (_, i) => {
    const samples = new Int16Array(FRAME);
    for (let s = 0; s < FRAME; s++) samples[s] = Math.round(Math.sin((i * FRAME + s) * 0.37) * 12000);
    return { samples, sampleRate: 16000, channels: 1, seq: i, ptsSamples: startSample + i * FRAME, utteranceId };
  });
}

async function startedStage(partialIntervalMs = 400) {
  const recorded = recordingStageContext();
  const stage = new AsrStage({ partialIntervalMs }, () => SenseVoiceEngine.load(paths));
  await stage.start(recorded.ctx);
  const transcripts = () =>
    recorded.events.filter((e) => e.name === 'transcript').map((e) => e.data as TranscriptEvent);
  return { stage, transcripts };
}

describe('ASR stage', () => {
  it('finishes an utterance at speechEnd once its audio is in, even when the event comes first', async () => {
    const { stage, transcripts } = await startedStage();
    const frames = utteranceFrames('u1', 8000, 50); // 1 s
    for (const frame of frames.slice(0, 30)) stage.process(frame);
    // The control lane is faster than the ring: the end arrives before the last 20 frames.
    stage.onControl({
      type: 'speechEnd',
      utteranceId: 'u1',
      startSample: 8000,
      endSample: 8000 + 50 * FRAME,
      decidedAtSample: 30000,
      reason: 'silence',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transcripts().filter((t) => t.isFinal)).toHaveLength(0);
    for (const frame of frames.slice(30)) stage.process(frame);
    await stage.flush();
    const finals = transcripts().filter((t) => t.isFinal);
    expect(finals).toHaveLength(1);
    expect(finals[0]).toMatchObject({
      utteranceId: 'u1',
      text: expectedSenseVoiceText(lfrFramesFor(50 * FRAME)),
      audioMs: 1000,
    });
    await stage.close();
  });

  it('offers partials while audio comes in, and a new utterance closes the previous one', async () => {
    const { stage, transcripts } = await startedStage(200);
    for (const frame of utteranceFrames('a', 0, 40)) {
      stage.process(frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const frame of utteranceFrames('b', 20000, 25)) stage.process(frame);
    await stage.flush();
    const all = transcripts();
    expect(all.filter((t) => t.utteranceId === 'a' && !t.isFinal).length).toBeGreaterThan(0);
    expect(all.filter((t) => t.isFinal).map((t) => [t.utteranceId, t.audioMs])).toEqual([
      ['a', 800],
      ['b', 500],
    ]);
    // Every partial of an utterance comes before its final.
    const aFinal = all.findIndex((t) => t.utteranceId === 'a' && t.isFinal);
    expect(all.findLastIndex((t) => t.utteranceId === 'a' && !t.isFinal)).toBeLessThan(aFinal);
    await stage.close();
  });

  it('ignores untagged frames and an end for another utterance; reset drops the open one', async () => {
    const { stage, transcripts } = await startedStage(0);
    stage.process({ ...(utteranceFrames('x', 0, 1)[0] as AudioFrame), utteranceId: undefined });
    for (const frame of utteranceFrames('x', 0, 10)) stage.process(frame);
    stage.onControl({
      type: 'speechEnd',
      utteranceId: 'other',
      startSample: 0,
      endSample: 10,
      decidedAtSample: 10,
      reason: 'silence',
    });
    stage.reset();
    await stage.flush();
    expect(transcripts()).toEqual([]);
    await stage.close();
  });
});
