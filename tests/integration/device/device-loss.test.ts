/**
 * Device loss and recovery through the real PortAudio path. The playback device's
 * backing file starts as /dev/full, so ALSA's writes fail and the device stops taking
 * audio mid-run, as an unplugged one does; the controller must go to `fault` and retry.
 * The test then rewrites the ALSA config so the device writes to a plain file again;
 * the next retry must bring the controller back to `idle` with audio flowing.
 *
 * A stream stalled on a failed device cannot be released by naudiodon; PortAudio runs in
 * a host process that the controller kills in that case, so `collar run` still ends by
 * itself, with exit code 0, when its duration is up.
 */
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURE_DEVICE, createVirtualDevices, PLAYBACK_DEVICE } from '../../doubles/alsa-virtual-devices.js';
import { ROOT } from '../../helpers/run-collar.js';

describe('device loss', () => {
  it('moves to fault, retries with backoff, and returns to idle when the device is back', async () => {
    const signal = new Int16Array(16_000).fill(1000);
    const devices = createVirtualDevices(signal);
    const workingConfig = readFileSync(devices.configPath, 'utf8');
    writeFileSync(devices.configPath, workingConfig.replaceAll(devices.playbackRaw, '/dev/full'));

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'device/cli/collar.ts',
        'run',
        '--capture-device',
        CAPTURE_DEVICE,
        '--playback-device',
        PLAYBACK_DEVICE,
        '--rate',
        '16000',
        '--duration',
        '6',
        '--no-keyboard',
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: '/nonexistent-home',
          ALSA_CONFIG_PATH: devices.configPath,
          COLLAR__LOGGING__LEVEL: 'error',
        },
      },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const waitFor = async (pattern: RegExp, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stderr + stdout)) {
        if (Date.now() > deadline) throw new Error(`did not see ${pattern} in:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let exitCode: number | null = null;
    try {
      await waitFor(/state booting -> idle/, 20_000);
      await waitFor(/state idle -> fault \(PortAudio playback "collar_test_playback".*took no audio/, 10_000);
      // The device comes back: the backing file is writable again.
      writeFileSync(`${devices.configPath}.new`, workingConfig);
      renameSync(`${devices.configPath}.new`, devices.configPath);
      await waitFor(/recovered from \d+ device fault\(s\)/, 20_000);
      exitCode = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
    } finally {
      // Only reached with the process still running when an assertion above failed.
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(exitCode, 'collar run must end by itself after recovering').toBe(0);
    expect(stderr).toMatch(/state fault -> idle/);
    expect(stdout).toMatch(/monitor mode \(pass-through\)/);
    expect(stdout).not.toMatch(/Uncaught|TypeError/);
    // Audio reached the restored device.
    expect(statSync(devices.playbackRaw).size).toBeGreaterThan(16_000);
  });
});
