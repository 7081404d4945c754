"""The address of the person signing in, as django-axes must see it behind the reverse proxy.

Behind N trusted proxies, each appends the address it received the request from to ``X-Forwarded-For``;
the client is therefore the N-th entry from the right. Entries further left were written by the client
itself and are ignored (anyone can send them). With no trusted proxy (``TRUSTED_PROXY_COUNT=0``, the
default, e.g. ``make run``) the header is ignored and the socket's address is used."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:  # the request did not come through every trusted proxy
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
