"""Each user's personal API token (DRF's ``authtoken``): one per user, created or replaced by its owner, shown
in full once (on the page that creates it) and afterwards only by its fingerprint; revoked when its owner's
password changes or they are deactivated (``vcsportal.people.services``)."""

import hashlib

from django.db import transaction
from rest_framework.authtoken.models import Token


def api_token_for(user) -> Token | None:
    """The user's token, or None when they have not created one."""
    return Token.objects.filter(user=user).first()


def token_fingerprint(token: Token) -> str:
    """What identifies a token without giving it away: the start of its key's SHA-256 digest."""
    return "SHA256:" + hashlib.sha256(token.key.encode()).hexdigest()[:16]


@transaction.atomic
def api_token_regenerate(*, user) -> Token:
    """Give the user a new token, replacing any they had: the old key stops working at once (a key that may
    have leaked is dealt with by regenerating it)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def api_tokens_revoke(*, user) -> int:
    """Remove the user's token (it stops working at once); how many were removed."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def password_about_to_change(sender, instance, update_fields=None, **kwargs):
    """pre_save of the user model: note whether the stored password is being replaced (a change, a reset, an
    administrator's new password, an unusable one). Signing in saves only the last login, and is skipped."""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = type(instance)._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._api_token_password_changed = stored is not None and stored != instance.password


def revoke_tokens_when_the_password_changed(sender, instance, **kwargs):
    """post_save of the user model: a new password revokes the API token, as it ends the other sessions."""
    if getattr(instance, "_api_token_password_changed", False):
        instance._api_token_password_changed = False
        api_tokens_revoke(user=instance)
