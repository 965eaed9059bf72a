"""Run a command against a throwaway PostgreSQL cluster, then stop and remove the cluster.

    python scripts/with_postgres.py -- pytest -x

Starts a fresh cluster with the machine's own ``initdb``/``pg_ctl`` in a temporary folder on a free port,
sets ``DATABASE_URL`` for the command, and always stops the cluster afterwards. These machines run as
root and PostgreSQL refuses to run as root, so when we are root the cluster runs as the ``postgres`` user.
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


def main(argv: list[str]) -> int:
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
    try:
        subprocess.run(
            [*run_as, f"{bin_dir}/initdb", "-D", data_dir, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
            check=True,
            **quiet,
        )
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [*run_as, f"{bin_dir}/pg_ctl", "-D", data_dir, "-o", options, "-l", log, "-w", "start"], check=True, **quiet
        )
        env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres")
        return subprocess.run(argv, env=env).returncode
    finally:
        subprocess.run(
            [*run_as, f"{bin_dir}/pg_ctl", "-D", data_dir, "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
