"""Test settings: the real settings with a fast password hasher (real hashing makes every login slow)."""

from vcsportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The suite reads the primary everywhere (with DATABASE_REPLICA_URL set, the replica alias mirrors it);
# tests/replication/ turns replica reads on against a real streaming standby.
READ_REPLICA = None

# The suite's uploaded evidence goes to a throwaway folder, never the project's media/.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="vcsportal-test-media-")
