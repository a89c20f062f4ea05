/**
 * The named rings between stages and threads. The bus owns no audio itself; it is the
 * directory of rings and the place their counters are read as metrics.
 */
import { RingBuffer, type RingDescriptor, type RingStats, type SampleKind } from './ring-buffer.js';

export class AudioBus {
  private readonly rings = new Map<string, RingBuffer>();

  create<K extends SampleKind>(name: string, kind: K, capacitySamples: number): RingBuffer<K> {
    if (this.rings.has(name)) {
      throw new Error(`audio bus: a ring named "${name}" already exists; ring names must be unique`);
    }
    const ring = RingBuffer.create(name, kind, capacitySamples);
    this.rings.set(name, ring);
    return ring;
  }

  /** Register a ring created in another thread (from its descriptor). */
  attach<K extends SampleKind>(descriptor: RingDescriptor): RingBuffer<K> {
    const ring = RingBuffer.attach<K>(descriptor);
    this.rings.set(descriptor.name, ring);
    return ring;
  }

  get<K extends SampleKind = SampleKind>(name: string): RingBuffer<K> {
    const ring = this.rings.get(name);
    if (!ring) {
      const known = [...this.rings.keys()].join(', ') || '(none)';
      throw new Error(`audio bus: no ring named "${name}"; known rings: ${known}`);
    }
    return ring as RingBuffer<K>;
  }

  names(): string[] {
    return [...this.rings.keys()];
  }

  /** Counters of every ring, keyed by ring name. */
  metrics(): Record<string, RingStats> {
    const out: Record<string, RingStats> = {};
    for (const [name, ring] of this.rings) out[name] = ring.stats();
    return out;
  }
}
