import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {}

/**
 * An exclusive lock on DATA_DIR: the embedded database is one process's alone. A lock left by a
 * process that died (kill -9, power loss) is taken over; one held by a live process refuses to start.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'pasokh.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(path);
        if (holder && holder.host === hostname() && isAlive(holder.pid) && holder.pid !== process.pid) {
          throw new DataDirLockedError(
            `DATA_DIR ${dataDir} is in use by another Pasokh process (pid ${holder.pid}, started ${holder.startedAt}). ` +
              'The embedded database allows one process: stop the other one, choose another DATA_DIR, ' +
              'or set DATABASE_URL to run several instances on a PostgreSQL server.',
          );
        }
        if (holder && holder.host !== hostname()) {
          throw new DataDirLockedError(`DATA_DIR ${dataDir} is locked by host ${holder.host} (pid ${holder.pid}); remove ${path} if that host is gone.`);
        }
        rmSync(path, { force: true }); // stale: its process is gone
      }
    }
    throw new DataDirLockedError(`could not lock ${path}`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function readHolder(path: string): { pid: number; host: string; startedAt: string } | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
