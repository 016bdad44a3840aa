"""Bringing studies into the offline cache: what to fetch, in which order, and resuming.

Retrieval (WADO-RS) streams into the cache through ``viewer.cache.sink``; this package
decides what is missing and in which order the series come.
"""
