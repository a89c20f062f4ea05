/**
 * Materialises the ALSA virtual-device config (tests/fixtures/alsa) in a temp folder, so
 * tests can drive the real PortAudio path through naudiodon with no sound card. The
 * devices are real ALSA PCMs; only their backing store is a file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CAPTURE_DEVICE = 'collar_test_capture';
export const PLAYBACK_DEVICE = 'collar_test_playback';

export interface VirtualDevices {
  dir: string;
  configPath: string;
  captureRaw: string;
  playbackRaw: string;
  /** Environment for a child process that should see the devices. */
  env: NodeJS.ProcessEnv;
}

export function createVirtualDevices(captureSamples: Int16Array): VirtualDevices {
  const dir = mkdtempSync(join(tmpdir(), 'collar-alsa-'));
  const captureRaw = join(dir, 'capture.raw');
  const playbackRaw = join(dir, 'playback.raw');
  writeFileSync(captureRaw, Buffer.from(captureSamples.buffer, captureSamples.byteOffset, captureSamples.byteLength));
  const template = readFileSync(new URL('../fixtures/alsa/virtual-devices.conf.template', import.meta.url), 'utf8');
  const configPath = join(dir, 'asound.conf');
  writeFileSync(configPath, template.replaceAll('@CAPTURE_RAW@', captureRaw).replaceAll('@PLAYBACK_RAW@', playbackRaw));
  return { dir, configPath, captureRaw, playbackRaw, env: { ...process.env, ALSA_CONFIG_PATH: configPath } };
}
