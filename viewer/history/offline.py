"""TEMPORARY (issue 13, while the window is rebound to the session): the cache source's
name, for the history widgets that still import it from here. Removed with the
rebinding; nothing new may use it."""

from viewer.sources.cache import CACHE_SOURCE_NAME

__all__ = ["CACHE_SOURCE_NAME"]
