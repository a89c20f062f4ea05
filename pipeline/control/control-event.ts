/**
 * Control events travel on their own lane, never queued behind audio (DESIGN.md
 * principle 4). Semantics every stage follows:
 * - interrupt: drop queued input audio and internal state now (barge-in); an utteranceId
 *   names the utterance being abandoned, when known.
 * - flush: finish what is held and emit it (end of an utterance or of a stream).
 * - mute / unmute: stop or resume audible output; input keeps flowing.
 * - setVoice: switch the accent pack for the next synthesis.
 * - setVolume: output level in dB relative to the calibrated level.
 * - setMode: translate (normal use) or monitor (pass-through for device testers).
 * - speechStart / speechEnd: the endpointer's decisions, with stream sample positions
 *   (16 kHz); the controller follows them, and stages downstream of the VAD may too.
 */
import { z } from 'zod';

export const DEVICE_MODES = ['translate', 'monitor'] as const;
/**
 * What happens when the wearer speaks while English plays: `interrupt` stops the English
 * at once and drops its stale synthesis; `queue` lets it finish and plays the new
 * utterance's English after it.
 */
export const BARGE_IN_POLICIES = ['interrupt', 'queue'] as const;
export type BargeInPolicy = (typeof BARGE_IN_POLICIES)[number];
export const VOLUME_DB_MIN = -60;
export const VOLUME_DB_MAX = 12;

export const ControlEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('interrupt'),
    utteranceId: z.string().min(1).optional(),
    reason: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('flush') }),
  z.strictObject({ type: z.literal('mute') }),
  z.strictObject({ type: z.literal('unmute') }),
  z.strictObject({ type: z.literal('setVoice'), voiceId: z.string().min(1) }),
  z.strictObject({
    type: z.literal('setVolume'),
    volumeDb: z.number().min(VOLUME_DB_MIN).max(VOLUME_DB_MAX),
  }),
  z.strictObject({ type: z.literal('setMode'), mode: z.enum(DEVICE_MODES) }),
  z.strictObject({
    type: z.literal('speechStart'),
    utteranceId: z.string().min(1),
    startSample: z.number().int().min(0),
    preRollStartSample: z.number().int().min(0),
  }),
  z.strictObject({
    type: z.literal('speechEnd'),
    utteranceId: z.string().min(1),
    startSample: z.number().int().min(0),
    endSample: z.number().int().min(0),
    decidedAtSample: z.number().int().min(0),
    reason: z.enum(['silence', 'maxLength', 'endOfStream']),
  }),
]);

export type ControlEvent = z.infer<typeof ControlEventSchema>;
export type ControlEventType = ControlEvent['type'];
export type DeviceMode = (typeof DEVICE_MODES)[number];
