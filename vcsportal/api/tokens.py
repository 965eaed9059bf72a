"""Each user's personal API token (DRF's ``authtoken``): one per user, created or replaced by its owner."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def api_token_for(user) -> Token | None:
    """The user's token, or None when they have not created one."""
    return Token.objects.filter(user=user).first()


@transaction.atomic
def api_token_regenerate(*, user) -> Token:
    """Give the user a new token, replacing any they had: the old key stops working at once (a key that may
    have leaked is dealt with by regenerating it)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
