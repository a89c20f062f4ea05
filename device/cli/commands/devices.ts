/** `collar devices`: the audio devices PortAudio can open, with their ids. */
import type { Command } from 'commander';
import { describeDevices, listDevices } from '../../audio/portaudio-devices.js';

export function registerDevicesCommand(program: Command): void {
  program
    .command('devices')
    .description('list the capture and playback devices PortAudio can open')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const devices = await listDevices();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(devices, null, 2)}\n`);
        return;
      }
      process.stdout.write(`capture devices:\n${describeDevices(devices, 'capture')}\n`);
      process.stdout.write(`playback devices:\n${describeDevices(devices, 'playback')}\n`);
    });
}
