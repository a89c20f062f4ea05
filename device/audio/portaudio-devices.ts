/**
 * Device discovery through naudiodon (PortAudio). naudiodon is loaded lazily so that
 * commands which do not touch audio do not initialise PortAudio.
 */
import type { DeviceInfo } from 'naudiodon';
import { UsageError } from '../cli/exit-codes.js';

export type Naudiodon = typeof import('naudiodon');
export type Direction = 'capture' | 'playback';

let loaded: Naudiodon | undefined;

export async function loadNaudiodon(): Promise<Naudiodon> {
  if (!loaded) {
    const module = (await import('naudiodon')) as Naudiodon & { default?: Naudiodon };
    loaded = module.default ?? module;
  }
  return loaded;
}

export async function listDevices(): Promise<DeviceInfo[]> {
  return (await loadNaudiodon()).getDevices();
}

function channelsFor(device: DeviceInfo, direction: Direction): number {
  return direction === 'capture' ? device.maxInputChannels : device.maxOutputChannels;
}

export function describeDevices(devices: DeviceInfo[], direction?: Direction): string {
  const usable = direction ? devices.filter((d) => channelsFor(d, direction) > 0) : devices;
  if (usable.length === 0) return '  (none: PortAudio lists no such device)';
  return usable
    .map(
      (d) =>
        `  ${String(d.id).padStart(3)}  ${d.name}  (in ${d.maxInputChannels}, out ${d.maxOutputChannels}, ${d.defaultSampleRate} Hz, ${d.hostAPIName})`,
    )
    .join('\n');
}

/**
 * Finds a device by id or by name (exact, then case-insensitive substring). An unknown
 * name is a usage error that lists the devices which can do `direction`.
 */
export function resolveDevice(devices: DeviceInfo[], wanted: string | number, direction: Direction): DeviceInfo {
  const usable = devices.filter((d) => channelsFor(d, direction) > 0);
  const asId = typeof wanted === 'number' ? wanted : /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  const byId = asId !== undefined ? usable.find((d) => d.id === asId) : undefined;
  const text = String(wanted).toLowerCase();
  const found =
    byId ?? usable.find((d) => d.name === wanted) ?? usable.find((d) => d.name.toLowerCase().includes(text));
  if (!found) {
    throw new UsageError(
      `no ${direction} device "${wanted}"; available ${direction} devices:\n${describeDevices(devices, direction)}`,
    );
  }
  return found;
}
