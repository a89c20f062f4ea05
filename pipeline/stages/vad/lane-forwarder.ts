/**
 * Puts the endpointer's decisions on the control lane when the VAD stage runs in a
 * worker: its `speechStart` / `speechEnd` stage events arrive at the host as
 * `stageEvent`s and are validated by the lane like any other control event.
 */
import type { Logger } from 'pino';
import { ControlEventError, type ControlLane } from '../../control/control-lane.js';

interface StageEventSource {
  on(event: 'stageEvent', listener: (name: string, data: unknown) => void): unknown;
  off(event: 'stageEvent', listener: (name: string, data: unknown) => void): unknown;
}

const ENDPOINT_EVENTS = new Set(['speechStart', 'speechEnd']);

/** Returns a function that stops forwarding. */
export function forwardEndpointEvents(source: StageEventSource, lane: ControlLane, logger?: Logger): () => void {
  const listener = (name: string, data: unknown) => {
    if (!ENDPOINT_EVENTS.has(name)) return;
    try {
      lane.send({ ...(data as object), type: name });
    } catch (error) {
      if (!(error instanceof ControlEventError)) throw error;
      logger?.warn({ problem: error.message }, 'dropped a malformed endpoint event from the VAD stage');
    }
  };
  source.on('stageEvent', listener);
  return () => source.off('stageEvent', listener);
}
