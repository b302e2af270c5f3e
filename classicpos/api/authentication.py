"""API token authentication: knox's, without a sweep of the user's tokens on every request."""

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, minus its per-request clean-up of the user's other tokens.

    knox reads every token of the user on each request to delete the expired ones:
    one more query on every call a till makes. Here a token is checked on its own
    (an expired one is still refused, and deleted); the user's other expired tokens
    are deleted when they log in for a new one (``purge_expired_tokens``).
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


def purge_expired_tokens(user) -> int:
    """Delete ``user``'s expired tokens; return how many went."""
    deleted, _ = AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return deleted


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of these tokens: knox's, for the subclass."""

    target_class = "classicpos.api.authentication.TokenAuthentication"
