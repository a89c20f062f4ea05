/**
 * SpeakerSession with a tone test double for synthesis and a WAV file for the speaker:
 * the English reaches the device at either frame size, a synthesis that fails gives up
 * its turn, and barge-in stops what is playing and what is still waiting.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { readWav } from '../../../device/audio/wav-file.js';
import { WavPlayback } from '../../../device/audio/wav-playback.js';
import { SpeakerSession } from '../../../device/session/speaker-session.js';
import { RingBuffer } from '../../../pipeline/bus/ring-buffer.js';
import type { VoiceSelection } from '../../../pipeline/engines/tts/tts-engine.js';
import { BUILTIN_VOICE_PACKS } from '../../../voices/builtin/index.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { ToneSynthesizerDouble } from '../../doubles/tone-synthesizer.js';

const pack = { ...(BUILTIN_VOICE_PACKS[0] as (typeof BUILTIN_VOICE_PACKS)[number]), engineVoice: 'tone' };

/** TEST DOUBLE: the tone synthesizer, failing on any clause that mentions "fail". */
class FailingToneSynthesizer extends ToneSynthesizerDouble {
  override async synthesizeClause(text: string, voice: VoiceSelection, signal?: AbortSignal): Promise<Float32Array> {
    if (text.includes('fail')) throw new Error('synthesis engine crashed');
    return super.synthesizeClause(text, voice, signal);
  }
}

function session(frameSamples: number, engine = new ToneSynthesizerDouble(1)) {
  const path = join(mkdtempSync(join(tmpdir(), 'collar-speaker-')), 'speaker.wav');
  const playback = new WavPlayback({ path });
  const speaker = new SpeakerSession({
    playback,
    speakerRing: RingBuffer.create('speaker', 'int16', 16_000),
    referenceRing: RingBuffer.create('reference', 'int16', 16_000 * 30),
    frameSamples,
    engine,
    pack,
    maskCalibration: defaultMaskLeak(),
    maskMode: 'off',
    volumeDb: 0,
    bargeIn: 'interrupt',
    logger: captureLogger('silent').logger,
  });
  return { speaker, path };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SpeakerSession', () => {
  it.each([160, 320])('plays the English to the device with %i-sample frames', async (frameSamples) => {
    const { speaker, path } = session(frameSamples);
    await speaker.start();
    await speaker.say('u1', 'Time to eat, sweetie.');
    await speaker.stop(5_000);
    expect(speaker.summary().englishMs).toBeGreaterThan(150); // 4 words × 50 ms of tone
    const written = readWav(path);
    expect(written.samples.some((v) => Math.abs(v) > 0.2)).toBe(true);
  });

  it('a synthesis that fails gives up its turn: the next utterance still plays', async () => {
    const { speaker } = session(320, new FailingToneSynthesizer(1));
    await speaker.start();
    await expect(speaker.say('a', 'Hello there, my love. Now fail badly.')).rejects.toThrow(/crashed/);
    await speaker.say('b', 'Good night.');
    await speaker.stop(5_000);
    expect(speaker.playout.pendingUtterances()).toEqual([]);
    expect(speaker.summary().englishMs).toBeGreaterThan(90); // b's 2 words reached the device
  });

  it('barge-in stops the English playing and drops what was waiting, by id', async () => {
    const { speaker } = session(320, new ToneSynthesizerDouble(1));
    await speaker.start();
    const long = Array.from({ length: 12 }, () => 'one two three four five six seven eight.').join(' ');
    const first = speaker.say('a', long);
    const second = speaker.say('b', 'And then bed.');
    await first;
    await second;
    await sleep(100); // a is playing now
    const report = speaker.onSpeechStart();
    expect(report?.utteranceId).toBe('a');
    expect(report?.droppedFrames).toBeGreaterThan(0);
    expect(speaker.playout.pendingUtterances()).toEqual([]);
    expect(speaker.playout.push('b', new Float32Array(320))).toBe(false); // b's late frames are refused
    await speaker.stop(0);
    expect(speaker.summary().bargeIns).toBe(1);
  });
});
