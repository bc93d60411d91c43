import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * Each service's own TypeScript, the workspace packages it uses included, becomes one JavaScript
 * file, built fresh at every launch so it never runs stale code. Why: a dozen processes starting
 * together on two cores each resolved and transformed a few hundred files through tsx's loader,
 * and a backbone took half a minute to be ready. Packages from node_modules are not bundled: the
 * file imports them from where pnpm put them, by absolute path, so they load exactly as they do
 * under tsx.
 *
 * Returns the bundle of each entry (a path relative to the repository root).
 */
export async function bundleServices(entries: string[], outDir: string): Promise<Record<string, string>> {
  const outName = (entry: string) => entry.replace(/\.ts$/, '');
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: entries.map((entry) => ({ in: entry, out: outName(entry) })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // A stack trace in a service's log names the TypeScript line (node runs with --enable-source-maps).
    sourcemap: 'linked',
    logLevel: 'error',
    plugins: [inPlace],
  });
  return Object.fromEntries(entries.map((entry) => [entry, join(outDir, `${outName(entry)}.mjs`)]));
}

/**
 * Makes the bundle behave as if each file ran where it lies: `import.meta.dirname` and
 * `import.meta.url` keep naming the source file (schemas, migrations and catalogues are found
 * next to it), and node_modules packages are imported from their own folders.
 */
const inPlace: Plugin = {
  name: 'polku-in-place',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('node:') || args.pluginData === inPlace) return undefined;
      const found = await bundler.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: inPlace });
      if (found.errors.length > 0) return { errors: found.errors };
      // Workspace packages resolve to their sources (outside node_modules) and are bundled.
      if (found.external || !found.path.includes("/node_modules/")) return undefined;
      return { path: pathToFileURL(found.path).href, external: true };
    });
    bundler.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: 'ts' };
    });
  },
};
