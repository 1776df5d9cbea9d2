"""The public status lookup's rate limit: a number of lookups per minute and client address,
counted in Django's cache (`[rules.dossier] lookup_per_minute` of the tthc-2018 rule set).

The address is the connection's (REMOTE_ADDR): a proxy in front of the site must pass the
client's address there (e.g. with a trusted-proxy middleware), never a header a client sets.
With the default local-memory cache each server process counts on its own; a shared cache
(Redis, database) makes the limit exact across processes.
"""

import time

from django.core.cache import cache

BASE_RULESET = "tthc-2018"
DEFAULT_PER_MINUTE = 20


def per_minute() -> int:
    def read() -> int:
        from khcn.workflow.loader import current_version

        try:
            rules = current_version(BASE_RULESET).rules
        except LookupError:
            return DEFAULT_PER_MINUTE
        return int(rules.rules.get("dossier", {}).get("lookup_per_minute", DEFAULT_PER_MINUTE))

    return cache.get_or_set("procedures:lookup:limit", read, 300)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def lookup_allowed(request) -> bool:
    """Count one lookup for the client; False once it is over the limit for this minute."""
    key = f"procedures:lookup:{client_address(request)}:{int(time.time() // 60)}"
    if cache.add(key, 1, 120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 120)
            count = 1
    return count <= per_minute()
