"""The Redis cache, keeping its redis clients.

Django's Redis backend builds a new ``redis.Redis`` for every cache call, and each one rebuilds
redis-py's table of reply parsers (about 0.15 ms of CPU: a session read in a hall voting at once
spends more on that than on the read). A ``redis.Redis`` is thread-safe and only borrows
connections from its pool, so one per pool is kept and reused.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:  # two threads may both make one; either is fine to keep
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
