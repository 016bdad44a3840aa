"""A patient's imaging history across sources: search, link, merge, flag.

Pure logic over :class:`~viewer.history.sources.ImagingSource` objects; the DICOMweb
source and (later) the offline cache both implement that protocol.
"""
