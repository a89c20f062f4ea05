/**
 * The guard must not deafen the device: the wearer speaking over the English (barge-in;
 * real Mandarin from ../shared, or labelled synthetic speech without it) through the
 * simulated echo path, the echo canceller and the feedback guard, is still heard by
 * the real Silero VAD. Its own file (its own process): espeak-ng's output depends on
 * what the process synthesised before, and this scenario is fixed.
 */
import { describe, expect, it } from 'vitest';
import { ECHO_PATHS, generateEchoPath } from '../../../bench/acoustics/echo-path.js';
import { scaledToDbfs } from '../../../bench/acoustics/levels.js';
import { runSimulatedMicPath } from '../../../bench/acoustics/simulated-mic-path.js';
import { deviceEnglish, wearerSpeech } from '../../../bench/acoustics/speech-sources.js';
import { useSileroUtterances } from '../../helpers/silero-utterances.js';

const SPEAKER_LEVEL_DBFS = -20;

describe('barge-in through the feedback guard', () => {
  const utterancesIn = useSileroUtterances();

  it('the wearer speaking over the English is still heard (barge-in passes the guard)', async () => {
    const seconds = 40;
    const english = await deviceEnglish(seconds);
    const speaker = scaledToDbfs(english.samples, SPEAKER_LEVEL_DBFS);
    const wearer = await wearerSpeech(seconds);
    // The wearer talks in four bursts of 3 s, starting after the canceller has converged.
    const wearerBursts = new Float32Array(speaker.length);
    const burstStarts = [8, 16, 24, 32].map((s) => s * 16_000);
    const active = scaledToDbfs(wearer.samples, -28);
    for (const start of burstStarts) wearerBursts.set(active.subarray(start, start + 3 * 16_000), start);
    const echoPath = generateEchoPath(ECHO_PATHS['mask-cavity'] as (typeof ECHO_PATHS)[string]);
    const run = runSimulatedMicPath({ speaker, echoPath, speakerDrive: 2, guard: true, wearer: wearerBursts });
    const utterances = await utterancesIn(run.cleaned);
    const heard = burstStarts.filter((start) =>
      utterances.some((u) => u.startSample < start + 3 * 16_000 && u.endSample > start),
    );
    console.log(
      `barge-in through the guard (${wearer.source}): ${heard.length} of ${burstStarts.length} bursts heard, ` +
        `${utterances.length} utterances, double talk in ${run.doubleTalkFrames} frames`,
    );
    expect(heard.length).toBe(burstStarts.length);
    // Nothing outside the bursts (allowing each utterance its trailing silence).
    const stray = utterances.filter(
      (u) => !burstStarts.some((s) => u.startSample < s + 3.5 * 16_000 && u.endSample > s),
    );
    expect(stray).toEqual([]);
  }, 180_000);
});
