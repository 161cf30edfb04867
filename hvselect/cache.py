"""Django's Redis cache, made to survive Redis: when it cannot be reached, the site keeps
serving from each worker's own memory instead of answering 500.

- Short timeouts (REDIS_TIMEOUT_SECONDS to connect and to answer), so a black-holed Redis
  holds a request a fraction of a second, not five.
- After a failure, Redis is left alone for RETRY_SECONDS: every cache call in between goes to
  a per-process memory cache at once. Then one call tries Redis again.
- What that means for the site while Redis is down: pages are rendered, then cached per
  worker; rate limits are counted per worker (with N workers a client may get up to N times
  its limit); everything is logged once per outage, as a warning, and /healthz says so.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("hvselect.cache")

REDIS_TIMEOUT_SECONDS = 0.25
RETRY_SECONDS = 10
OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


# When each Redis server (by its location) failed, for the whole process: every alias and
# every thread's cache object using it skips it at once, and the outage is logged once.
_down_since: dict[str, float] = {}
_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", REDIS_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", REDIS_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self._location = str(server)
        self._fallback = LocMemCache(
            f"hvselect-fallback-{params.get('KEY_PREFIX', '')}", {"OPTIONS": {"MAX_ENTRIES": 1000}}
        )

    @property
    def reachable(self) -> bool:
        """False while the site serves from memory after Redis failed."""
        return self._location not in _down_since

    def _call(self, name, *args, **kwargs):
        since = _down_since.get(self._location)
        if since is not None and time.monotonic() - since < RETRY_SECONDS:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            with _lock:
                if self._location not in _down_since:
                    logger.warning(
                        "Redis unreachable (%s): serving from each worker's memory, "
                        "rate limits counted per worker",
                        error,
                    )
                _down_since[self._location] = time.monotonic()
            return getattr(self._fallback, name)(*args, **kwargs)
        if since is not None:
            with _lock:
                if _down_since.pop(self._location, None) is not None:
                    logger.warning("Redis reachable again: the shared cache is back")
        return result


def _delegating(name):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in OPERATIONS:
    setattr(ResilientRedisCache, _name, _delegating(_name))
