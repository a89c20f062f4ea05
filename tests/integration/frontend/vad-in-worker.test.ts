/**
 * The VAD stage hosted in a real worker thread: a real Mandarin clip in 5 dB noise goes
 * in through the ring; the endpointer's events reach the control lane through the host,
 * and only the utterance's audio comes out.
 */
import { describe, expect, it } from 'vitest';
import { clipInNoise } from '../../../bench/frontend/clip-in-noise.js';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { AudioBus } from '../../../pipeline/bus/audio-bus.js';
import type { ControlEvent } from '../../../pipeline/control/control-event.js';
import { ControlLane } from '../../../pipeline/control/control-lane.js';
import { BUILTIN_STAGE_MODULES } from '../../../pipeline/stages/registry.js';
import { forwardEndpointEvents } from '../../../pipeline/stages/vad/lane-forwarder.js';
import { WorkerHost } from '../../../pipeline/workers/worker-host.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { FAST_SUPERVISION } from '../workers/helpers.js';

const CLIP = `${SHARED_PATHS.mandarinDir}/asr_example.wav`;
const missing = firstMissing([CLIP, SHARED_PATHS.cc0Noise]);
if (missing) console.warn(`skipping VAD-in-worker test: ${missing} is missing (../shared not present)`);

describe.skipIf(missing !== undefined)('VAD stage in a worker', () => {
  it('puts speechStart and speechEnd on the control lane and hands on only the utterance', async () => {
    const scenario = await clipInNoise(CLIP);
    const frameLength = 320;
    const bus = new AudioBus();
    const input = bus.create('mic', 'int16', frameLength * 600);
    const output = bus.create('speech', 'int16', frameLength * 400);
    const { logger } = captureLogger('warn');
    const lane = new ControlLane(logger);
    const events: ControlEvent[] = [];
    lane.subscribe((event) => events.push(event));
    const host = new WorkerHost({
      stageName: 'vad',
      stageModuleUrl: BUILTIN_STAGE_MODULES.vad,
      stageOptions: { model: 'v6' },
      input,
      output,
      frameLengthSamples: frameLength,
      supervision: { ...FAST_SUPERVISION, readyTimeoutMs: 20_000, pingTimeoutMs: 20_000 },
      logger,
    });
    const stopForwarding = forwardEndpointEvents(host, lane, logger);
    await host.start();
    const pcm = new Int16Array(scenario.samples.length - (scenario.samples.length % frameLength));
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round((scenario.samples[i] as number) * 32_767);
    expect(input.push(pcm)).toBe(pcm.length);
    input.close();
    let received = 0;
    const chunk = new Int16Array(frameLength);
    const deadline = Date.now() + 20_000;
    while (events.filter((e) => e.type === 'speechEnd').length < 1 && Date.now() < deadline) {
      await output.waitForDataAsync(frameLength, 50);
      while (output.availableRead() >= frameLength) received += output.pop(chunk, frameLength);
    }
    while (output.availableRead() >= frameLength) received += output.pop(chunk, frameLength);
    stopForwarding();
    await host.stop();
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd']);
    const [start, end] = events;
    if (start?.type !== 'speechStart' || end?.type !== 'speechEnd') throw new Error('unexpected events');
    expect(end.utteranceId).toBe(start.utteranceId);
    const truth = scenario.truth[0];
    expect(Math.abs(start.startSample - (truth?.startSample ?? 0))).toBeLessThanOrEqual(1_600);
    // Out came the utterance from its pre-roll to (about) the end decision, not the whole recording.
    expect(received).toBeGreaterThanOrEqual(end.endSample - start.preRollStartSample);
    expect(received).toBeLessThanOrEqual(end.decidedAtSample - start.preRollStartSample + 2 * frameLength);
  }, 30_000);
});
