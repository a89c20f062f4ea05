/**
 * The priority lane for control events. `send` validates, then delivers synchronously to
 * every subscriber in this thread; worker hosts subscribe and forward to their threads,
 * where the frame loop lets the message in before it touches the next frame.
 */
import type { Logger } from 'pino';
import { formatZodIssues } from '../config/format-issues.js';
import { type ControlEvent, ControlEventSchema } from './control-event.js';

export type ControlListener = (event: ControlEvent) => void;

export class ControlEventError extends Error {
  override readonly name = 'ControlEventError';
}

export function parseControlEvent(input: unknown): ControlEvent {
  const parsed = ControlEventSchema.safeParse(input);
  if (!parsed.success) {
    throw new ControlEventError(`invalid control event: ${formatZodIssues(parsed.error.issues, input)}`);
  }
  return parsed.data;
}

export class ControlLane {
  private readonly listeners = new Set<ControlListener>();
  constructor(private readonly logger?: Logger) {}

  subscribe(listener: ControlListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validate and deliver now. Throws ControlEventError on a malformed event. */
  send(input: unknown): ControlEvent {
    const event = parseControlEvent(input);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One failing subscriber must not keep the event from the others.
        this.logger?.error({ err: error, event: event.type }, 'control listener failed');
      }
    }
    return event;
  }
}
