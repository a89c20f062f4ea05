/**
 * The speaker half of a live session: each utterance's English is synthesised clause by
 * clause into the playout (tagged with its utterance id), and the speaker feed renders
 * it just in time through the SpeakerMixer — the masker while the wearer speaks, ducked
 * under the English, earcons, volume, limiter — to the playback device. Every frame
 * played also goes to the reference ring the echo canceller reads.
 *
 * Barge-in follows the configured policy when the wearer starts speaking while English
 * plays: `interrupt` stops it at once (playout by id, synthesis cancelled, the device
 * edge flushed); `queue` lets it finish, and the new English plays after it.
 */
import type { Logger } from 'pino';
import { frameLengthSamples } from '../../pipeline/bus/audio-frame.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { int16ToFloat } from '../../pipeline/dsp/sample-format.js';
import { TtsStream } from '../../pipeline/engines/tts/clause-stream.js';
import { deliveryFor } from '../../pipeline/engines/tts/load-tts-engine.js';
import { type ClauseSynthesizer, TtsCancelledError } from '../../pipeline/engines/tts/tts-engine.js';
import type { MaskerCalibration, MaskerMode } from '../../pipeline/stages/speaker/masker-level.js';
import { type EarconSource, SpeakerMixer } from '../../pipeline/stages/speaker/speaker-mixer.js';
import { SpeechPlayout } from '../../pipeline/stages/speaker/speech-playout.js';
import { SpeechFramer } from '../../pipeline/stages/tts/speech-framer.js';
import type { VoicePack } from '../../voices/pack-manifest.js';
import type { PlaybackEndpoint } from '../audio/endpoints.js';
import type { BargeInPolicy } from '../controller/device-state.js';
import { type BargeInReport, SpeakerFeed } from './speaker-feed.js';

/** How often the feed tops up the speaker ring. */
const PUMP_INTERVAL_MS = 2;
/** The cleaned microphone above this (and not muted by the feedback guard) counts as the wearer speaking. */
const WEARER_LEVEL_DBFS = -50;

export interface SpeakerSessionOptions {
  playback: PlaybackEndpoint;
  speakerRing: RingBuffer;
  /** What the echo canceller reads: every frame exactly as played. */
  referenceRing: RingBuffer;
  /** The cleaned microphone from the echo-cancel stage (float32), for the masker's level. */
  micTapRing?: RingBuffer;
  /** Per reference frame: whether it held English (see SpeakerFeed). */
  englishFlagRing?: RingBuffer;
  frameSamples: number;
  engine: ClauseSynthesizer;
  pack: VoicePack;
  maskCalibration: MaskerCalibration;
  maskMode: MaskerMode;
  volumeDb: number;
  bargeIn: BargeInPolicy;
  earcons?: EarconSource;
  logger: Logger;
  /** The English of an utterance finished playing (not interrupted). */
  onPlaybackDone?: (utteranceId: string) => void;
}

export interface SpeakerSummary {
  playback: string;
  maskMode: MaskerMode;
  /** English played, and time the masker sounded, in ms of audio. */
  englishMs: number;
  maskerMs: number;
  /** Loudest sample sent to the speaker (after the limiter). */
  peakDbfs: number;
  bargeIns: number;
  droppedStaleFrames: number;
}

export class SpeakerSession {
  readonly playout: SpeechPlayout;
  readonly mixer: SpeakerMixer;
  private readonly feed: SpeakerFeed;
  private readonly english: Float32Array;
  private readonly mic: Float32Array;
  private readonly micRaw: Float32Array | Int16Array;
  private readonly syntheses = new Map<string, TtsStream>();
  private timer: NodeJS.Timeout | undefined;
  private wearerSpeaking = false;
  /** Utterances interrupted before their synthesis was registered (a say() still starting). */
  private readonly abandoned = new Set<string>();
  private playingUtteranceId: string | undefined;
  readonly bargeIns: BargeInReport[] = [];
  private maskedFrames = 0;
  private englishFrames = 0;
  private peakOut = 0;

  constructor(private readonly options: SpeakerSessionOptions) {
    const { frameSamples } = options;
    this.english = new Float32Array(frameSamples);
    this.mic = new Float32Array(frameSamples);
    this.micRaw = options.micTapRing?.kind === 'int16' ? new Int16Array(frameSamples) : new Float32Array(frameSamples);
    this.playout = new SpeechPlayout(
      { frameSamples },
      {
        onUtteranceStart: (id) => {
          this.playingUtteranceId = id;
        },
        onUtteranceDone: (id) => {
          if (this.playingUtteranceId === id) this.playingUtteranceId = undefined;
          options.onPlaybackDone?.(id);
        },
      },
    );
    this.mixer = new SpeakerMixer(
      options.maskCalibration,
      { mode: options.maskMode, volumeDb: options.volumeDb },
      options.earcons,
    );
    this.feed = new SpeakerFeed(
      {
        frameSamples,
        speakerRing: options.speakerRing,
        referenceRing: options.referenceRing,
        ...(options.englishFlagRing ? { englishFlagRing: options.englishFlagRing } : {}),
        // The playback edge takes 20 ms frames: keep at least one of those queued.
        leadFrames: Math.max(1, Math.ceil(frameLengthSamples(20) / frameSamples)),
      },
      { renderFrame: (out) => this.renderFrame(out) },
    );
  }

  async start(): Promise<void> {
    await this.options.playback.start(this.options.speakerRing);
    this.timer = setInterval(() => this.feed.pump(), PUMP_INTERVAL_MS);
  }

  /** The endpointer's view of the wearer (speechStart … speechEnd). */
  setWearerSpeaking(speaking: boolean): void {
    this.wearerSpeaking = speaking;
  }

  /** The wearer started an utterance: apply the barge-in policy to English that is playing. */
  onSpeechStart(): BargeInReport | undefined {
    if (this.options.bargeIn === 'queue') return undefined;
    const pending = new Set([...this.playout.pendingUtterances(), ...this.syntheses.keys()]);
    if (pending.size === 0) return undefined;
    // Everything not yet heard is stale too: the wearer is saying something new.
    for (const id of pending) if (id !== this.playingUtteranceId) this.interrupt(id);
    const playing = this.playingUtteranceId;
    const report = this.interrupt(playing);
    this.bargeIns.push(report);
    this.options.logger.info({ ...report, abandoned: [...pending] }, 'barge-in: English interrupted');
    return report;
  }

  /** Stop an utterance's English wherever it is (mute, a newer utterance abandoning it). */
  interrupt(utteranceId?: string): BargeInReport {
    if (utteranceId === undefined) for (const stream of this.syntheses.values()) stream.cancel();
    else this.syntheses.get(utteranceId)?.cancel();
    if (utteranceId !== undefined) this.abandoned.add(utteranceId);
    if (utteranceId === undefined || utteranceId === this.playingUtteranceId) this.playingUtteranceId = undefined;
    return this.feed.interrupt(this.playout, this.options.playback, utteranceId);
  }

  /**
   * Synthesise `english` for `utteranceId` into the playout. Resolves with the ms until
   * its first frame was queued; rejects only on a synthesis failure (a barge-in cancel
   * resolves quietly).
   */
  async say(utteranceId: string, english: string, onFirstAudio?: (firstAudioMs: number) => void): Promise<number> {
    const queuedAt = performance.now();
    const { engine, pack, logger } = this.options;
    const stream = new TtsStream(engine, deliveryFor(pack), logger);
    this.syntheses.set(utteranceId, stream);
    if (this.abandoned.has(utteranceId)) stream.cancel();
    let framer: SpeechFramer | undefined;
    let firstAudioMs = Number.NaN;
    const frame = new Float32Array(this.options.frameSamples);
    const queue = async (frames: Int16Array[]): Promise<void> => {
      for (const samples of frames) {
        // Synthesis runs ahead of real time: wait for room rather than grow the queue.
        while (this.playout.spaceFrames() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        int16ToFloat(samples, frame);
        if (!this.playout.push(utteranceId, frame)) {
          stream.cancel(); // interrupted: stop synthesising what will never be played
          return;
        }
        if (Number.isNaN(firstAudioMs)) {
          firstAudioMs = performance.now() - queuedAt;
          onFirstAudio?.(firstAudioMs);
        }
      }
    };
    try {
      framer = await SpeechFramer.create(engine.sampleRateHz, this.options.frameSamples);
      stream.push(english);
      stream.end();
      for await (const chunk of stream) await queue(framer.push(chunk));
      await queue(framer.flush());
      this.playout.end(utteranceId);
    } catch (error) {
      if (!(error instanceof TtsCancelledError)) {
        // Give up the turn, or every later utterance would wait behind this one forever.
        this.playout.interrupt(utteranceId);
        throw error;
      }
    } finally {
      framer?.destroy();
      this.syntheses.delete(utteranceId);
    }
    return firstAudioMs;
  }

  private renderFrame(out: Float32Array): string | undefined {
    const utteranceId = this.playout.pullFrame(this.english);
    const tap = this.options.micTapRing;
    let micLevel = 0;
    if (tap && tap.availableRead() >= this.mic.length) {
      // This side is the tap's consumer: skip to the newest frames when the microphone
      // got ahead (drift, output underruns), so the masker follows the wearer now.
      while (tap.availableRead() >= 3 * this.mic.length) tap.pop(this.micRaw, this.mic.length);
      tap.pop(this.micRaw, this.mic.length);
      if (this.micRaw instanceof Int16Array) int16ToFloat(this.micRaw, this.mic);
      else this.mic.set(this.micRaw);
      for (const value of this.mic) micLevel += value * value;
    } else {
      this.mic.fill(0);
    }
    const micDbfs = 10 * Math.log10(micLevel / this.mic.length + 1e-20);
    const wearerSpeaking = this.wearerSpeaking || micDbfs > WEARER_LEVEL_DBFS;
    const report = this.mixer.mixFrame(
      { english: utteranceId ? this.english : undefined, micAfterAec: this.mic, wearerSpeaking },
      out,
    );
    if (report.maskerLevelDbfs > Number.NEGATIVE_INFINITY) this.maskedFrames += 1;
    if (utteranceId) this.englishFrames += 1;
    for (const value of out) this.peakOut = Math.max(this.peakOut, Math.abs(value));
    return utteranceId;
  }

  summary(): SpeakerSummary {
    const frameMs = (this.options.frameSamples * 1000) / 16_000;
    return {
      playback: this.options.playback.description,
      maskMode: this.mixer.mode,
      englishMs: this.englishFrames * frameMs,
      maskerMs: this.maskedFrames * frameMs,
      peakDbfs: 20 * Math.log10(this.peakOut + 1e-12),
      bargeIns: this.bargeIns.length,
      droppedStaleFrames: this.playout.droppedStaleFrames,
    };
  }

  /** Let the queued English finish (up to `timeoutMs`), then stop the device. */
  async stop(timeoutMs = 0): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.playout.pendingUtterances().length > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const stream of this.syntheses.values()) stream.cancel();
    const { playback, speakerRing } = this.options;
    // Closing the ring lets the device play what is queued plus a silent tail, then 'end'.
    const ended = new Promise<void>((resolve) => {
      playback.once('end', resolve);
      setTimeout(resolve, 1_000).unref();
    });
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    speakerRing.close();
    if (timeoutMs > 0) await ended;
    await playback.stop();
  }
}
