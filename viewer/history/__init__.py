"""A patient's imaging history across sources: search, link, merge, flag.

Pure logic over :class:`~viewer.sources.protocol.ImagingSource` objects (a platform, the
offline cache, a CD all answer the same way); it knows nothing of retrieval.
"""
