"""The client's address, for login throttling: the socket's, or the proxy's report of it."""

from django.conf import settings


def client_ip(request, *args) -> str:
    """Return the address a request came from.

    With ``CLASSICPOS_PROXY_COUNT`` proxies in front, the client is the entry that
    many places from the right of ``X-Forwarded-For`` (the part the proxies wrote;
    anything left of it came from the client and can be forged).
    """
    proxies = settings.CLASSICPOS_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
