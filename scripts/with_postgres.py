"""Run a command against a throwaway PostgreSQL cluster, then stop and remove the cluster.

    python scripts/with_postgres.py -- pytest -x
    python scripts/with_postgres.py --replica -- pytest tests/replication

Starts a fresh cluster with the machine's own ``initdb``/``pg_ctl`` in a temporary folder on a free port,
sets ``DATABASE_URL`` for the command, and always stops the cluster afterwards. These machines run as
root and PostgreSQL refuses to run as root, so when we are root the cluster runs as the ``postgres`` user.

With ``--replica`` it also makes a streaming replica of that cluster, as production would: ``pg_basebackup -R``
copies the primary and writes the standby's connection settings, the standby starts on another free port
(hot standby: it answers read-only queries while it replays the primary's WAL), and ``DATABASE_REPLICA_URL``
points at it.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile


def _bin_dir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        sys.exit("PostgreSQL server binaries not found (apt-get install postgresql)")
    return os.path.dirname(candidates[0])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_options(port: int, folder: str) -> str:
    return (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )


def _start_standby(bin_dir: str, run_as: list[str], folder: str, primary_port: int) -> tuple[str, int]:
    """A hot standby streaming from the primary on ``primary_port``; returns its data folder and port."""
    standby_dir = os.path.join(folder, "standby")
    port = _free_port()
    subprocess.run(
        [
            *run_as,
            f"{bin_dir}/pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary_port),
            "-U",
            "postgres",
            "-D",
            standby_dir,
            "-R",  # writes primary_conninfo and standby.signal: the copy starts as a standby of the primary
            "-X",
            "stream",
            "--checkpoint=fast",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            *run_as,
            f"{bin_dir}/pg_ctl",
            "-D",
            standby_dir,
            "-o",
            _server_options(port, folder) + " -c hot_standby=on",
            "-l",
            os.path.join(folder, "standby.log"),
            "-w",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return standby_dir, port


def main(argv: list[str]) -> int:
    replica = "--replica" in argv[: argv.index("--")] if "--" in argv else False
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        sys.exit(__doc__)
    bin_dir = _bin_dir()
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = tempfile.mkdtemp(prefix="vcsportal-pg-")
    data_dir = os.path.join(folder, "data")
    os.makedirs(data_dir)
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(data_dir, "postgres", "postgres")
    port = _free_port()
    log = os.path.join(folder, "server.log")
    quiet = {"stdout": subprocess.DEVNULL}
    data_dirs = [data_dir]
    try:
        subprocess.run(
            [*run_as, f"{bin_dir}/initdb", "-D", data_dir, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
            check=True,
            **quiet,
        )
        options = _server_options(port, folder)
        subprocess.run(
            [*run_as, f"{bin_dir}/pg_ctl", "-D", data_dir, "-o", options, "-l", log, "-w", "start"], check=True, **quiet
        )
        env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres")
        env.pop("DATABASE_REPLICA_URL", None)
        if replica:
            standby_dir, standby_port = _start_standby(bin_dir, run_as, folder, port)
            data_dirs.insert(0, standby_dir)  # stopped first
            env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{standby_port}/postgres"
        return subprocess.run(argv, env=env).returncode
    finally:
        for directory in data_dirs:
            subprocess.run(
                [*run_as, f"{bin_dir}/pg_ctl", "-D", directory, "-m", "immediate", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
