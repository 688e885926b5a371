/**
 * The file-system calls a store's save, lock and recovery make, behind one small
 * interface. Production passes node's fs; the fault-injection tests pass a layer that
 * "crashes" the process at any chosen call (core/io/crash-file-system.ts), which is how
 * every step of a save is proved safe without pulling the power cord.
 *
 * Only what those paths need is here; reading a store and writing an output file use the
 * same interface so one crash model covers them.
 */
import * as fs from 'node:fs';
import { hostname } from 'node:os';

export interface FileStat {
  size: number;
  /** The permission bits (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  dev: number;
  ino: number;
  mtimeNs: bigint;
  isFile: boolean;
  isDirectory: boolean;
}

export interface FileSystem {
  /** Creates `path` exclusively (fails with EEXIST when it exists) and returns its fd. */
  createExclusive(path: string, mode: number): number;
  /** Opens for reading without blocking on a FIFO (O_NONBLOCK), so a named pipe given
   * as a store cannot hang the caller before fstat tells what it is. */
  openForReading(path: string): number;
  read(fd: number, buffer: Uint8Array, position: number): number;
  write(fd: number, bytes: Uint8Array): void;
  fsync(fd: number): void;
  fchmod(fd: number, mode: number): void;
  fchown(fd: number, uid: number, gid: number): void;
  fstat(fd: number): FileStat;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** stat following symbolic links; undefined when nothing is there. */
  stat(path: string): FileStat | undefined;
  readdir(dir: string): string[];
  /** Makes renames and unlinks in `dir` durable. */
  fsyncDirectory(dir: string): void;
  realpath(path: string): string;
  /** Whether this process may write `path` (root may write a 0444 file: callers check
   * the mode bits too, so a store made read-only on purpose stays so). */
  isWritable(path: string): boolean;
}

const toStat = (s: fs.BigIntStats): FileStat => ({
  size: Number(s.size),
  mode: Number(s.mode & 0o7777n),
  uid: Number(s.uid),
  gid: Number(s.gid),
  dev: Number(s.dev),
  ino: Number(s.ino),
  mtimeNs: s.mtimeNs,
  isFile: s.isFile(),
  isDirectory: s.isDirectory(),
});

export const nodeFileSystem: FileSystem = {
  createExclusive: (path, mode) => fs.openSync(path, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, mode),
  openForReading: (path) => fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0)),
  read: (fd, buffer, position) => fs.readSync(fd, buffer, 0, buffer.length, position),
  write: (fd, bytes) => {
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
  },
  fsync: (fd) => fs.fsyncSync(fd),
  fchmod: (fd, mode) => fs.fchmodSync(fd, mode),
  fchown: (fd, uid, gid) => fs.fchownSync(fd, uid, gid),
  fstat: (fd) => toStat(fs.fstatSync(fd, { bigint: true })),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (path) => fs.unlinkSync(path),
  stat: (path) => {
    const s = fs.statSync(path, { bigint: true, throwIfNoEntry: false });
    return s ? toStat(s) : undefined;
  },
  readdir: (dir) => fs.readdirSync(dir),
  fsyncDirectory: (dir) => {
    // Windows cannot open a folder to fsync it, and NTFS renames need no such step.
    if (process.platform === 'win32') return;
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  realpath: (path) => fs.realpathSync(path),
  isWritable: (path) => {
    try {
      fs.accessSync(path, fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * Who holds a lock or a commit journal, and whether that process still runs. A token
 * names one process instance: host, pid and the process's start (so a pid the system
 * has since given to another program does not count as the same writer).
 */
export interface ProcessTable {
  /** This process's token. */
  self(): string;
  /** False only when the process is certainly gone; a process on another host, or one
   * this system cannot inspect, counts as running (a lock is never stolen on a guess). */
  isRunning(token: string): boolean;
}

/** Everything a save touches from the outside world, injectable as a whole. */
export interface StoreIo {
  fs: FileSystem;
  processes: ProcessTable;
}

function hostTag(name: string): string {
  // A short, file-name-safe tag: host names may hold dots and other characters.
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(36);
}

/** Linux: the boot and the process's start time in clock ticks, which together tell a
 * pid's current owner from an earlier one. Elsewhere undefined (pid alone is checked). */
function linuxStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19];
    return start && /^\d+$/.test(start) ? `${bootTag()}${start}` : undefined;
  } catch {
    return undefined;
  }
}

let boot: string | undefined;
function bootTag(): string {
  if (boot === undefined) {
    try {
      boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'ascii').replace(/[^0-9a-f]/g, '').slice(0, 8);
    } catch {
      boot = '';
    }
  }
  return boot;
}

/** `host.pid.start`: the three parts a token is made of, each file-name safe. */
export function processToken(host: string, pid: number, start: string | undefined): string {
  return `${hostTag(host)}.${pid}.${start ?? 'x'}`;
}

export function parseProcessToken(token: string): { host: string; pid: number; start: string } | undefined {
  const m = /^([0-9a-z]+)\.(\d+)\.([0-9a-zx]+)$/.exec(token);
  return m ? { host: m[1]!, pid: Number(m[2]), start: m[3]! } : undefined;
}

export const systemProcessTable: ProcessTable = {
  self: () => processToken(hostname(), process.pid, linuxStart(process.pid)),
  isRunning(token) {
    const owner = parseProcessToken(token);
    if (!owner) return true; // not ours to judge
    if (owner.host !== hostTag(hostname())) return true;
    try {
      process.kill(owner.pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
    if (owner.start === 'x') return true;
    const now = linuxStart(owner.pid);
    return now === undefined || now === owner.start;
  },
};

export const systemIo: StoreIo = { fs: nodeFileSystem, processes: systemProcessTable };

/** An error the operating system reported (ENOENT, EACCES, ...): the only kind callers
 * reword for the user. Anything else is a bug, or a test's simulated crash, and passes. */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return e instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}
