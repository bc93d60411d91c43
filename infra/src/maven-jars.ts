import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Copies the runtime jars a pom.xml lists from Maven Central (and the local repository) into
 * `lib`, once per content of the pom: a second call with the same pom does nothing.
 */
export function resolveMavenJars(pom: string, lib: string, what: string, say: (line: string) => void): void {
  const digest = createHash('sha256').update(readFileSync(pom)).digest('hex');
  const stamp = join(lib, '.pom-sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  say(`resolving ${what} from Maven Central (first run only)`);
  const result = spawnSync('mvn', ['-q', '-B', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime', '-Dmdep.overWriteIfNewer=true'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`mvn could not resolve ${what} (${result.error?.message ?? `exit ${result.status}`}); Java 17+ and Maven are needed\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  writeFileSync(stamp, digest);
}
