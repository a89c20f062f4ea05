/**
 * Finds an npm package installed in collar's own node_modules (looked up from this
 * module, the way Node would resolve it), without going through the package's `exports`
 * map, which need not expose its data files or package.json.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const requireFromStore = createRequire(import.meta.url);

export interface InstalledPackage {
  dir: string;
  version: string;
}

/** The first installed copy of `name` on Node's lookup path, or undefined. */
export async function findInstalledPackage(name: string): Promise<InstalledPackage | undefined> {
  for (const nodeModules of requireFromStore.resolve.paths(name) ?? []) {
    const dir = join(nodeModules, ...name.split('/'));
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof manifest.version === 'string') return { dir, version: manifest.version };
    } catch {
      // not installed at this level; keep looking up the tree
    }
  }
  return undefined;
}

/** The path of `filePath` inside the installed package when its version is exactly `version`. */
export async function installedPackageFile(
  name: string,
  version: string,
  filePath: string,
): Promise<{ path: string } | { reason: string }> {
  const found = await findInstalledPackage(name);
  if (!found) return { reason: `${name} is not installed in collar's node_modules` };
  if (found.version !== version) return { reason: `installed ${name} is ${found.version}, not ${version}` };
  return { path: join(found.dir, ...filePath.split('/')) };
}
