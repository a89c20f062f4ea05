/**
 * VAD and ASR chained in one worker thread, as the pipeline runs them: a real Mandarin
 * clip in 5 dB noise goes in through the ring; the VAD hands the ASR each utterance's
 * frames (tagged) and its end, in order, and the ASR recognises each utterance's audio
 * once (SenseVoice stand-in, installed through the store from a catalog override that the
 * worker reads from the environment). The endpoints also reach the control lane.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clipInNoise } from '../../../bench/frontend/clip-in-noise.js';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { writeSenseVoiceStandIn } from '../../../bench/stand-ins/asr-stand-ins.js';
import { AudioBus } from '../../../pipeline/bus/audio-bus.js';
import type { ControlEvent } from '../../../pipeline/control/control-event.js';
import { ControlLane } from '../../../pipeline/control/control-lane.js';
import { openModelStore } from '../../../pipeline/models/index.js';
import type { TranscriptEvent } from '../../../pipeline/stages/asr/asr-stage.js';
import { BUILTIN_STAGE_MODULES } from '../../../pipeline/stages/registry.js';
import { forwardEndpointEvents } from '../../../pipeline/stages/vad/lane-forwarder.js';
import { WorkerHost } from '../../../pipeline/workers/worker-host.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { tempDir } from '../../helpers/model-cache.js';
import { publishToMirror, writeCatalogFile } from '../../helpers/stand-in-catalog.js';
import { FAST_SUPERVISION, until } from '../workers/helpers.js';

const CLIP = `${SHARED_PATHS.mandarinDir}/llamacpp_sample.wav`;
const missing = firstMissing([CLIP, SHARED_PATHS.cc0Noise]);
if (missing) console.warn(`skipping VAD→ASR worker test: ${missing} is missing (../shared not present)`);

const work = tempDir('vad-asr-workers');
const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
  work.remove();
});

describe.skipIf(missing !== undefined)('VAD → ASR chained in a worker', () => {
  it('recognises exactly the utterance the VAD found, and reports partials first', async () => {
    const built = join(work.path, 'built');
    mkdirSync(built);
    const model = writeSenseVoiceStandIn(built);
    const mirror = join(work.path, 'mirror');
    process.env.COLLAR_MODEL_CATALOG = writeCatalogFile(join(work.path, 'catalog.json'), [
      publishToMirror(mirror, 'sense-voice-small', 'asr', [model.model, model.tokens]),
    ]);
    process.env.COLLAR_MODEL_MIRROR = mirror;
    process.env.COLLAR_MODEL_CACHE = join(work.path, 'cache');
    // Loading never downloads: install first, as `collar models fetch` would.
    await openModelStore().fetch('sense-voice-small');

    const scenario = await clipInNoise(CLIP);
    const frameLength = 320;
    const bus = new AudioBus();
    const mic = bus.create('mic', 'int16', frameLength * 1000);
    const { logger } = captureLogger('warn');
    const lane = new ControlLane(logger);
    const endpoints: ControlEvent[] = [];
    lane.subscribe((event) => endpoints.push(event));
    const supervision = { ...FAST_SUPERVISION, readyTimeoutMs: 20_000, pingTimeoutMs: 20_000 };
    const listen = new WorkerHost({
      stageName: 'vad+asr',
      stageModuleUrl: BUILTIN_STAGE_MODULES.chain,
      stageOptions: {
        stages: [
          { name: 'vad', options: {} },
          { name: 'asr', options: { engine: 'sense-voice', partialIntervalMs: 400 } },
        ],
      },
      input: mic,
      frameLengthSamples: frameLength,
      supervision,
      logger,
    });
    const transcripts: TranscriptEvent[] = [];
    listen.on('stageEvent', (name, data) => {
      if (name === 'transcript') transcripts.push(data as TranscriptEvent);
    });
    const stopForwarding = forwardEndpointEvents(listen, lane, logger);
    await listen.start();
    try {
      const pcm = new Int16Array(scenario.samples.length - (scenario.samples.length % frameLength));
      for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round((scenario.samples[i] as number) * 32_767);
      expect(mic.push(pcm)).toBe(pcm.length);
      mic.close();
      const ends = () => endpoints.filter((e) => e.type === 'speechEnd').length;
      await until(() => mic.availableRead() === 0 && ends() > 0, 25_000);
      await until(() => transcripts.filter((t) => t.isFinal).length === ends(), 25_000);
    } finally {
      stopForwarding();
      await listen.stop();
    }
    const starts = endpoints.filter((e) => e.type === 'speechStart');
    const ends = endpoints.filter((e) => e.type === 'speechEnd');
    expect(ends.length).toBeGreaterThan(0);
    expect(starts).toHaveLength(ends.length);
    for (const [index, end] of ends.entries()) {
      const start = starts[index];
      if (start?.type !== 'speechStart' || end.type !== 'speechEnd') throw new Error('events out of order');
      const mine = transcripts.filter((t) => t.utteranceId === end.utteranceId);
      const finals = mine.filter((t) => t.isFinal);
      expect(finals).toHaveLength(1);
      // The utterance's audio from its pre-roll to (about) the end decision, nothing dropped.
      const samples = ((finals[0]?.audioMs ?? 0) * 16_000) / 1000;
      expect(samples).toBeGreaterThanOrEqual(end.endSample - start.preRollStartSample);
      expect(samples).toBeLessThanOrEqual(end.decidedAtSample - start.preRollStartSample + frameLength);
      expect(samples % frameLength).toBe(0);
      // Partials while it was spoken, all before its final.
      expect(mine.length).toBeGreaterThan(1);
      expect(mine.at(-1)?.isFinal).toBe(true);
    }
  }, 40_000);
});
