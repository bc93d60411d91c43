import { execFileSync } from 'node:child_process';

/** The only place that talks to git. Reads, never writes. */
export class GitHistory {
  constructor(private readonly root: string) {}

  private git(...args: string[]): string {
    return execFileSync('git', ['-C', this.root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  }

  private tryGit(...args: string[]): string | undefined {
    try {
      return this.git(...args);
    } catch {
      return undefined;
    }
  }

  /** Why there is no history to compare against, or undefined when there is. */
  unavailable(): string | undefined {
    if (this.tryGit('rev-parse', '--is-inside-work-tree')?.trim() !== 'true') return 'not a git repository';
    if (this.tryGit('rev-parse', '--verify', '--quiet', 'HEAD') === undefined) return 'no commits yet';
    return undefined;
  }

  isShallow(): boolean {
    return this.tryGit('rev-parse', '--is-shallow-repository')?.trim() === 'true';
  }

  /**
   * Every distinct committed version of `path` (relative to the root), newest first, HEAD's own
   * version included so an uncommitted edit is caught. Versions with identical content count once.
   */
  versions(path: string): { sha: string; text: string }[] {
    const shas = ['HEAD', ...(this.tryGit('log', '--format=%H', 'HEAD', '--', path) ?? '').split('\n').filter(Boolean)];
    const seenBlobs = new Set<string>();
    const versions: { sha: string; text: string }[] = [];
    for (const sha of shas) {
      const blob = this.tryGit('rev-parse', '--verify', '--quiet', `${sha}:${path}`)?.trim();
      if (!blob || seenBlobs.has(blob)) continue; // deleted at that commit, or same content as a newer one
      seenBlobs.add(blob);
      const commit = this.git('rev-parse', '--short', sha).trim();
      versions.push({ sha: commit, text: this.git('cat-file', 'blob', blob) });
    }
    return versions;
  }

  /** Files under `dir` in HEAD's tree. */
  filesAtHead(dir: string): string[] {
    return (this.tryGit('ls-tree', '-r', '--name-only', 'HEAD', '--', dir) ?? '').split('\n').filter(Boolean);
  }
}
