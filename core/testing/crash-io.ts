/**
 * A file system that "crashes" the process at a chosen step: the Nth call that changes
 * the disk (create, write, fsync, chmod, chown, rename, unlink, folder fsync) throws
 * SimulatedCrash, and so does every call after it — a dead process does no clean-up, so
 * `finally` blocks and error handlers achieve nothing either.
 *
 * With `powerLoss`, data written but not yet fsynced is lost at the crash (the file is
 * cut to what was last fsynced, or to nothing), as after a power failure; a rename is
 * taken as durable, which is what a folder fsync promises.
 *
 * The crashed "process" has its own identity in the process table, and is gone once it
 * has crashed: its lock entries and journal then belong to a dead writer, exactly as
 * after kill -9.
 */
import { truncateSync } from 'node:fs';
import { hostname } from 'node:os';
import { nodeFileSystem, processToken, systemProcessTable, type FileSystem, type StoreIo } from '../io/file-system';

export class SimulatedCrash extends Error {
  constructor(readonly step: number) {
    super(`simulated crash at step ${step}`);
    this.name = 'SimulatedCrash';
  }
}

export interface CrashingIo {
  io: StoreIo;
  /** Steps (disk-changing calls) made so far. */
  steps(): number;
  crashed(): boolean;
  /** What each step was, for a failure message ("rename .key.keydesk-… → key.kdb"). */
  log: string[];
}

let nextPid = 2 ** 30; // above any real pid_max, so "is it running?" is answered by the table

/** `crashAt`: the 1-based step that crashes; Infinity counts steps without crashing. */
export function crashingIo(crashAt: number, options: { powerLoss?: boolean } = {}): CrashingIo {
  const base = nodeFileSystem;
  const token = processToken(hostname(), nextPid++, 'x');
  let steps = 0;
  let crashed = false;
  const log: string[] = [];
  const fdPaths = new Map<number, string>();
  /** Bytes of each file as last fsynced (undefined: never fsynced since it was created). */
  const durable = new Map<string, number | undefined>();
  const dirty = new Set<string>();

  const crash = (): never => {
    if (!crashed) {
      crashed = true;
      if (options.powerLoss) {
        for (const path of dirty) {
          try {
            truncateSync(path, durable.get(path) ?? 0);
          } catch {
            // renamed away or removed since: nothing to lose there
          }
        }
      }
    }
    throw new SimulatedCrash(steps);
  };
  const alive = () => {
    if (crashed) crash();
  };
  const step = (what: string) => {
    alive();
    steps++;
    log.push(what);
    if (steps >= crashAt) crash();
  };

  const fs: FileSystem = {
    createExclusive(path, mode) {
      step(`create ${path}`);
      const fd = base.createExclusive(path, mode);
      fdPaths.set(fd, path);
      durable.set(path, undefined);
      dirty.add(path);
      return fd;
    },
    openForReading: (path) => (alive(), base.openForReading(path)),
    read: (fd, buffer, position) => (alive(), base.read(fd, buffer, position)),
    write(fd, bytes) {
      step(`write ${fdPaths.get(fd)}`);
      base.write(fd, bytes);
      const path = fdPaths.get(fd);
      if (path) dirty.add(path);
    },
    fsync(fd) {
      step(`fsync ${fdPaths.get(fd)}`);
      base.fsync(fd);
      const path = fdPaths.get(fd);
      if (path) {
        dirty.delete(path);
        durable.set(path, base.fstat(fd).size);
      }
    },
    fchmod: (fd, mode) => (step(`chmod ${fdPaths.get(fd)}`), base.fchmod(fd, mode)),
    fchown: (fd, uid, gid) => (step(`chown ${fdPaths.get(fd)}`), base.fchown(fd, uid, gid)),
    fstat: (fd) => (alive(), base.fstat(fd)),
    close(fd) {
      alive();
      fdPaths.delete(fd);
      base.close(fd);
    },
    rename(from, to) {
      step(`rename ${from} -> ${to}`);
      base.rename(from, to);
      if (dirty.delete(from)) dirty.add(to);
      if (durable.has(from)) durable.set(to, durable.get(from));
    },
    unlink: (path) => (step(`unlink ${path}`), base.unlink(path)),
    stat: (path) => (alive(), base.stat(path)),
    readdir: (dir) => (alive(), base.readdir(dir)),
    fsyncDirectory: (dir) => (step(`fsync folder ${dir}`), base.fsyncDirectory(dir)),
    realpath: (path) => (alive(), base.realpath(path)),
    isWritable: (path) => (alive(), base.isWritable(path)),
  };
  return {
    io: {
      fs,
      processes: {
        self: () => token,
        // Once crashed, this process is gone: to itself as to everyone else.
        isRunning: (t) => (t === token ? !crashed : systemProcessTable.isRunning(t)),
      },
    },
    steps: () => steps,
    crashed: () => crashed,
    log,
  };
}
