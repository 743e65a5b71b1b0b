// The command line of pg-cluster.sh: its refusals, its failure paths and what it leaves behind.
// The replication scenarios themselves are proven through the helper in test/pg-cluster.test.ts.
import { execFile, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLive, processesIn } from '../test/support/process-table.ts';

const SCRIPT = fileURLToPath(new URL('./pg-cluster.sh', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script, as `user` when given (through runuser, which needs root). */
function runScript(args: string[], env: Record<string, string> = {}, user?: string): Promise<Outcome> {
  const [command, argv] =
    user === undefined
      ? ['bash', [SCRIPT, ...args]]
      : ['runuser', ['-u', user, '--', 'bash', SCRIPT, ...args]];
  return new Promise((resolve) => {
    execFile(command, argv, { env: { ...process.env, ...env }, cwd: '/' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function ownerOf(pid: number): number {
  const uid = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1];
  return Number(uid);
}

function uidOf(user: string): number | undefined {
  const result = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

const isRoot = process.getuid?.() === 0;

/** A directory the postgres account can enter too, for when the suite runs as root. */
function openTempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  chmodSync(dir, 0o755);
  return dir;
}

const check = await runScript(['check']);
const bindir = check.stdout.match(/^PG_BINDIR=(.+)$/m)?.[1];

const scratch: string[] = [];
function scratchDir(prefix: string): string {
  const dir = openTempDir(prefix);
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('pg-cluster.sh refuses bad usage', () => {
  it('rejects an unknown command with the usage text and exit 2', async () => {
    const outcome = await runScript(['frobnicate']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/unknown command 'frobnicate'[\s\S]*Usage: pg-cluster\.sh/);
  });

  it('rejects a node other than primary or replica', async () => {
    const outcome = await runScript(['stop-node', scratchDir('pg-cluster-usage-'), 'master']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/NODE must be primary or replica, not 'master'/);
  });

  it('rejects freeze-node and thaw-node without DIR and NODE', async () => {
    for (const command of ['freeze-node', 'thaw-node']) {
      const outcome = await runScript([command, '/nonexistent']);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(`${command} takes DIR and NODE`);
    }
  });

  it('rejects a timeout that is not a whole number of seconds', async () => {
    const outcome = await runScript(['status', '/nonexistent'], { PG_CLUSTER_TIMEOUT: '1.5' });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/PG_CLUSTER_TIMEOUT must be a whole number/);
  });

  it('rejects a port range that is not two ports or more within 1024-65535', async () => {
    for (const range of ['80-90', '20000-20000', '30000-20000', '60000-70000']) {
      const outcome = await runScript(['start'], { PG_CLUSTER_PORTS: range });
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(`two ports or more within 1024-65535, not '${range}'`);
    }
  });

  it('rejects a directory name that would need quoting', async () => {
    const outcome = await runScript(['start', join(scratchDir('pg-cluster-name-'), 'a b')]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/DIR must consist of letters, digits and/);
  });

  it('rejects a directory too long for a unix socket path', async () => {
    const outcome = await runScript(['start', join(scratchDir('pg-cluster-long-'), 'x'.repeat(100))]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/too long for a unix socket path/);
  });
});

describe('pg-cluster.sh without PostgreSQL binaries', () => {
  it('says which binaries it needs and exits 3', async () => {
    const empty = scratchDir('pg-cluster-nobin-');
    for (const args of [['check'], ['start']]) {
      const outcome = await runScript(args, { PG_BINDIR: empty });
      expect(outcome.code).toBe(3);
      expect(outcome.stderr).toMatch(
        /binaries not found[\s\S]*need initdb pg_ctl postgres pg_basebackup psql/,
      );
    }
  });

  it('refuses to start a node when the binaries that made the cluster are gone', async () => {
    const dir = scratchDir('pg-cluster-gonebin-');
    writeFileSync(join(dir, 'pg-cluster.env'), `PG_CLUSTER_DIR=${dir}\nPG_BINDIR=${dir}/no-such-bin\n`);
    const outcome = await runScript(['start-node', dir, 'primary']);
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toMatch(/made with '.*no-such-bin', which lacks some of them/);
  });
});

describe('pg-cluster.sh stop', () => {
  const children: number[] = [];
  afterEach(() => {
    for (const pid of children.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  /** A stand-in postmaster: a process working in `dataDir` that ignores the given signals. */
  async function fakePostmaster(dataDir: string, ignored: string): Promise<number> {
    const child = spawn('bash', ['-c', `trap '' ${ignored}; exec sleep 600`], {
      cwd: dataDir,
      stdio: 'ignore',
    });
    await new Promise((resolve) => child.once('spawn', resolve));
    const pid = child.pid!;
    children.push(pid);
    // The trap must be in place before the script signals it.
    for (let i = 0; i < 100 && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    writeFileSync(join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n`);
    return pid;
  }

  function fakeCluster(): string {
    const dir = scratchDir('pg-cluster-stop-');
    writeFileSync(join(dir, 'pg-cluster.env'), `PG_CLUSTER_DIR=${dir}\n`);
    mkdirSync(join(dir, 'primary'));
    mkdirSync(join(dir, 'replica'));
    return dir;
  }

  it('does nothing, successfully, when the directory is already gone', async () => {
    const outcome = await runScript(['stop', join(scratchDir('pg-cluster-gone-'), 'never-made')]);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(/is already gone/);
  });

  it('refuses to remove a directory it did not make', async () => {
    const dir = scratchDir('pg-cluster-foreign-');
    writeFileSync(join(dir, 'keep-me'), 'data');
    const outcome = await runScript(['stop', dir]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/is not a pg-cluster directory/);
    expect(readFileSync(join(dir, 'keep-me'), 'utf8')).toBe('data');
  });

  it('never signals a process whose pid is in a pid file but which serves another directory', async () => {
    const dir = fakeCluster();
    const elsewhere = scratchDir('pg-cluster-elsewhere-');
    const bystander = await fakePostmaster(elsewhere, 'QUIT');
    writeFileSync(join(dir, 'primary', 'postmaster.pid'), `${bystander}\n`);

    const outcome = await runScript(['stop', dir]);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(/primary is not running/);
    expect(isLive(bystander)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('falls back to an immediate shutdown when a server ignores the fast one', async () => {
    const dir = fakeCluster();
    const stubborn = await fakePostmaster(join(dir, 'primary'), 'INT');

    const outcome = await runScript(['stop', dir], { PG_CLUSTER_TIMEOUT: '1' });
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(/primary did not stop within 1s; sending immediate shutdown/);
    expect(isLive(stubborn)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps the directory and fails when a server survives the immediate shutdown too', async () => {
    const dir = fakeCluster();
    const immortal = await fakePostmaster(join(dir, 'replica'), 'INT QUIT');

    const outcome = await runScript(['stop', dir], { PG_CLUSTER_TIMEOUT: '1' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(new RegExp(`replica \\(pid ${immortal}\\) did not stop`));
    expect(existsSync(join(dir, 'replica'))).toBe(true);
  });
});

describe.skipIf(bindir === undefined)('pg-cluster.sh start', () => {
  /** A copy of the binaries directory with `name` replaced by a program that fails. */
  function bindirFailing(name: string): string {
    const dir = scratchDir(`pg-cluster-stub-${name}-`);
    for (const entry of readdirSync(bindir!)) symlinkSync(join(bindir!, entry), join(dir, entry));
    rmSync(join(dir, name));
    writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} stub refuses" >&2\nexit 1\n`, { mode: 0o755 });
    return dir;
  }

  const occupied: Server[] = [];
  let occupiedPort = 0;

  function listen(port: number): Promise<Server | undefined> {
    return new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  }

  // Two neighbouring ports held by this process, so a range of just them has no free port.
  beforeAll(async () => {
    for (let tries = 0; tries < 50 && occupied.length < 2; tries++) {
      const first = await listen(0);
      if (first === undefined) continue;
      const port = (first.address() as AddressInfo).port;
      const second = port < 65535 ? await listen(port + 1) : undefined;
      if (second === undefined) {
        first.close();
        continue;
      }
      occupied.push(first, second);
      occupiedPort = port;
    }
    expect(occupied).toHaveLength(2);
  });
  afterAll(() => {
    for (const server of occupied) server.close();
  });

  it('prints eval-ready facts into a directory it is given, bounds start-node, and stop removes it once', async () => {
    const dir = join(scratchDir('pg-cluster-given-'), 'cluster');
    const outcome = await runScript(['start', dir]);
    try {
      expect(outcome.code, outcome.stderr).toBe(0);
      for (const line of outcome.stdout.trim().split('\n'))
        expect(line).toMatch(/^[A-Z0-9_]+=[A-Za-z0-9._/@+-]+$/);
      expect(outcome.stdout).toContain(`PG_CLUSTER_DIR=${dir}\n`);
      const status = await runScript(['status', dir]);
      expect(status.stdout).toMatch(/^PG_PRIMARY_STATE=running$/m);
      expect(status.stdout).toMatch(/^PG_REPLICA_STATE=running$/m);
      expect(status.stdout).toMatch(/^PG_REPLICATION_STATE=streaming$/m);
      // PostgreSQL will not run as root, so root hands the servers to the postgres account.
      const pid = Number(status.stdout.match(/^PG_PRIMARY_PID=(\d+)$/m)?.[1]);
      expect(ownerOf(pid)).toBe(isRoot ? uidOf('postgres') : process.getuid?.());

      const again = await runScript(['start-node', dir, 'primary']);
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/primary is already running/);

      // A frozen server: status says so, stop-node thaws it before the fast shutdown, and only a
      // running server can be frozen.
      expect((await runScript(['freeze-node', dir, 'primary'])).code).toBe(0);
      const frozen = await runScript(['status', dir]);
      expect(frozen.stdout).toMatch(/^PG_PRIMARY_STATE=frozen$/m);
      expect(frozen.stdout).toMatch(/^PG_REPLICATION_STATE=unknown$/m);
      expect((await runScript(['stop-node', dir, 'primary'])).code).toBe(0);
      const notRunning = await runScript(['freeze-node', dir, 'primary']);
      expect(notRunning.code).toBe(1);
      expect(notRunning.stderr).toMatch(/primary is not running/);
      expect((await runScript(['start-node', dir, 'primary'])).code).toBe(0);

      // A port taken while its server was down is reported, not silently changed.
      const primaryPort = Number(outcome.stdout.match(/^PG_PRIMARY_PORT=(\d+)$/m)?.[1]);
      expect((await runScript(['stop-node', dir, 'primary'])).code).toBe(0);
      const squatter = await listen(primaryPort);
      expect(squatter).toBeDefined();
      const blocked = await runScript(['start-node', dir, 'primary']);
      squatter?.close();
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toMatch(/the primary did not start; see .*primary\.log/);
      expect((await runScript(['start-node', dir, 'primary'])).code).toBe(0);

      // A replica pointed at nothing starts, but start-node reports within its bound that it does not stream.
      expect((await runScript(['stop-node', dir, 'replica'])).code).toBe(0);
      appendFileSync(
        join(dir, 'replica', 'postgresql.auto.conf'),
        "primary_conninfo = 'host=127.0.0.1 port=1'\n",
      );
      const unstreamed = await runScript(['start-node', dir, 'replica'], { PG_CLUSTER_TIMEOUT: '3' });
      expect(unstreamed.code).toBe(1);
      expect(unstreamed.stderr).toMatch(/the replica was not streaming within 3s; see .*replica\.log/);
    } finally {
      expect((await runScript(['stop', dir])).code).toBe(0);
    }
    expect(existsSync(dir)).toBe(false);
    expect(processesIn(dir)).toEqual([]);
    expect((await runScript(['stop', dir])).code).toBe(0);
  });

  it('refuses a path that is a file', async () => {
    const file = join(scratchDir('pg-cluster-file-'), 'file');
    writeFileSync(file, 'data');
    const outcome = await runScript(['start', file]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/exists and is not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('data');
  });

  it('refuses a directory that is not empty and leaves it alone', async () => {
    const dir = scratchDir('pg-cluster-full-');
    writeFileSync(join(dir, 'keep-me'), 'data');
    const outcome = await runScript(['start', dir]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/is not empty/);
    expect(readdirSync(dir)).toEqual(['keep-me']);
  });

  it('tries other ports when one is taken and gives up with nothing left behind', async () => {
    const tmp = scratchDir('pg-cluster-ports-');
    const outcome = await runScript(['start'], {
      TMPDIR: tmp,
      PG_CLUSTER_PORTS: `${occupiedPort}-${occupiedPort + 1}`,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      new RegExp(`port (${occupiedPort}|${occupiedPort + 1}) is taken \\(attempt 8\\)`),
    );
    expect(outcome.stderr).toMatch(/the primary did not start/);
    expect(readdirSync(tmp)).toEqual([]);
    expect(processesIn(tmp)).toEqual([]);
  });

  it('reports a failed initdb and removes the directory it made', async () => {
    const tmp = scratchDir('pg-cluster-initdb-');
    const outcome = await runScript(['start'], { TMPDIR: tmp, PG_BINDIR: bindirFailing('initdb') });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/initdb failed/);
    expect(outcome.stderr).toMatch(/initdb stub refuses/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('stops the running primary when the copy for the replica fails', async () => {
    const tmp = scratchDir('pg-cluster-basebackup-');
    const outcome = await runScript(['start'], { TMPDIR: tmp, PG_BINDIR: bindirFailing('pg_basebackup') });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/pg_basebackup failed/);
    expect(outcome.stderr).toMatch(/stopping primary \(pid \d+\)/);
    expect(readdirSync(tmp)).toEqual([]);
    expect(processesIn(tmp)).toEqual([]);
  });

  it('leaves a directory it was given in place after a failure, and stop then removes it', async () => {
    const dir = scratchDir('pg-cluster-keep-');
    const outcome = await runScript(['start', dir], { PG_BINDIR: bindirFailing('pg_basebackup') });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/left .* in place for inspection/);
    expect(readdirSync(dir)).toContain('logs');
    expect(processesIn(dir)).toEqual([]);
    expect((await runScript(['stop', dir])).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it.runIf(isRoot && uidOf('nobody') !== undefined)(
    'runs the servers as a caller that is not root',
    async () => {
      const parent = scratchDir('pg-cluster-nobody-');
      chmodSync(parent, 0o1777);
      const dir = join(parent, 'cluster');
      const started = await runScript(['start', dir], {}, 'nobody');
      try {
        expect(started.code, started.stderr).toBe(0);
        const status = await runScript(['status', dir], {}, 'nobody');
        const pid = Number(status.stdout.match(/^PG_REPLICA_PID=(\d+)$/m)?.[1]);
        expect(ownerOf(pid)).toBe(uidOf('nobody'));
      } finally {
        expect((await runScript(['stop', dir], {}, 'nobody')).code).toBe(0);
      }
      expect(existsSync(dir)).toBe(false);
    },
  );

  it.runIf(isRoot)('as root, refuses a directory the postgres account cannot reach', async () => {
    const closed = realpathSync(mkdtempSync(join(tmpdir(), 'pg-cluster-closed-')));
    scratch.push(closed);
    const dir = join(closed, 'cluster');
    const outcome = await runScript(['start', dir]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/the postgres user cannot write to/);
    expect(existsSync(dir)).toBe(false);
  });
});
