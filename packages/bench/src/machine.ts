import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** What a figure was measured on, printed with every run so runs can be compared honestly. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  java: string;
  kafka: string;
}

export function describeMachine(repoRoot: string): Machine {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const pom = readFileSync(`${repoRoot}/infra/kafka/pom.xml`, 'utf8');
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    java: (java.stderr || java.stdout || '').split('\n')[0]?.trim() ?? 'unknown',
    kafka: /<kafka.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown',
  };
}
