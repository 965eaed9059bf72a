"""Test settings: the real settings with a fast password hasher (real hashing makes every login slow)."""

from vcsportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
