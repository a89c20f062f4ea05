/**
 * Silero VAD (loaded in place from its npm package through the model store) and the
 * endpointer on the real Mandarin clips, padded with silence and with real CC0 noise at
 * 5 dB SNR; and the VAD stage's frame sequence on one of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreEndpoints } from '../../../bench/frontend/endpoint-evaluation.js';
import { buildNoisyScenario } from '../../../bench/frontend/noisy-scenario.js';
import { firstMissing, mandarinClips, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { speechUtterances } from '../../../bench/frontend/speech-truth.js';
import { readPipelineWav, resampleSignal } from '../../../device/audio/read-pipeline-wav.js';
import { readWav } from '../../../device/audio/wav-file.js';
import { FrameClock } from '../../../pipeline/bus/audio-frame.js';
import type { ControlEvent } from '../../../pipeline/control/control-event.js';
import { parseControlEvent } from '../../../pipeline/control/control-lane.js';
import type { SileroVad } from '../../../pipeline/engines/vad/silero-vad.js';
import { detectSpeechSegments, SpeechDetector } from '../../../pipeline/stages/vad/speech-detector.js';
import { loadSileroVad, VadStage } from '../../../pipeline/stages/vad/vad-stage.js';
import { recordingStageContext } from '../../doubles/recording-stage-context.js';
import { storeWithoutDownloads } from '../../helpers/frontend-models.js';

const missing = firstMissing([SHARED_PATHS.mandarinDir, SHARED_PATHS.cc0Noise]);
if (missing) console.warn(`skipping VAD endpointing tests: ${missing} is missing (../shared not present)`);

async function scenarios() {
  const noiseWav = readWav(SHARED_PATHS.cc0Noise);
  const noise = await resampleSignal(noiseWav.samples, noiseWav.sampleRate, 16_000);
  return Promise.all(
    mandarinClips().map(async (path) => {
      const clean = (await readPipelineWav(path)).samples;
      const truth = speechUtterances(clean);
      return {
        path,
        ...buildNoisyScenario(clean, truth, noise, { padBeforeSamples: 24_000, padAfterSamples: 32_000, snrDb: 5 }),
      };
    }),
  );
}

describe.skipIf(missing !== undefined)('endpointing on real Mandarin in 5 dB noise', () => {
  let vad: SileroVad;
  let cleanup: () => void;
  let cases: Awaited<ReturnType<typeof scenarios>>;
  beforeAll(async () => {
    const empty = storeWithoutDownloads(); // Silero needs no download: it is in node_modules
    cleanup = empty.remove;
    vad = await loadSileroVad('v6', empty.store);
    cases = await scenarios();
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });
  afterAll(async () => {
    await vad?.close();
    cleanup?.();
  });

  it('finds each utterance exactly once, starts within 100 ms and ends within 400 ms of the truth', async () => {
    for (const scenario of cases) {
      vad.reset();
      const segments = await detectSpeechSegments(new SpeechDetector(vad), scenario.samples);
      const score = scoreEndpoints(scenario.truth, segments);
      const where = scenario.path.split('/').at(-1);
      expect(score.falseDetections, `${where}: false detections`).toBe(0);
      for (const utterance of score.utterances) {
        expect(utterance.detections, `${where}: detections`).toBe(1);
        expect(
          Math.abs(utterance.startErrorMs ?? Number.POSITIVE_INFINITY),
          `${where}: start error`,
        ).toBeLessThanOrEqual(100);
        expect(Math.abs(utterance.endErrorMs ?? Number.POSITIVE_INFINITY), `${where}: end error`).toBeLessThanOrEqual(
          400,
        );
      }
    }
  });

  it('finds nothing in the noise alone', async () => {
    const noiseOnly = (cases[0]?.samples ?? new Float32Array(0)).subarray(0, 20_000);
    vad.reset();
    expect(await detectSpeechSegments(new SpeechDetector(vad), noiseOnly)).toEqual([]);
  });

  it('the VAD stage hands on only the utterance, from its pre-roll, tagged, and reports lane-valid events', async () => {
    const scenario = cases.find((c) => c.path.endsWith('asr_example.wav')) ?? cases[0];
    if (!scenario) throw new Error('no scenario');
    const stage = new VadStage({ model: 'v6' });
    const recording = recordingStageContext();
    await stage.start(recording.ctx);
    const clock = new FrameClock();
    const pcm = new Int16Array(320);
    for (let start = 0; start + 320 <= scenario.samples.length; start += 320) {
      for (let i = 0; i < 320; i++) pcm[i] = Math.round((scenario.samples[start + i] as number) * 32_767);
      await stage.process(clock.stamp(pcm));
    }
    stage.flush();
    const out = recording.frames;
    const events: ControlEvent[] = recording.events.map(({ name, data }) =>
      parseControlEvent({ ...(data as object), type: name }),
    );
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd']);
    const [start, end] = events;
    if (start?.type !== 'speechStart' || end?.type !== 'speechEnd') throw new Error('unexpected events');
    expect(start.startSample - start.preRollStartSample).toBe(3_200); // 200 ms pre-roll
    const first = out[0];
    const last = out.at(-1);
    if (!first || !last) throw new Error('no frames');
    // The first frame handed on holds the pre-roll start; frames are contiguous and all tagged.
    expect(first.ptsSamples).toBeLessThanOrEqual(start.preRollStartSample);
    expect(first.ptsSamples + 320).toBeGreaterThan(start.preRollStartSample);
    out.forEach((frame, i) => {
      expect(frame.utteranceId).toBe(start.utteranceId);
      if (i > 0) expect(frame.ptsSamples).toBe((out[i - 1]?.ptsSamples ?? 0) + 320);
    });
    expect(last.ptsSamples + 320).toBeGreaterThanOrEqual(end.endSample);
    expect(last.ptsSamples).toBeLessThan(end.decidedAtSample);
    await stage.close();
  });
});
