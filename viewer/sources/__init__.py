"""Where images come from: one :class:`~viewer.sources.protocol.ImagingSource` protocol and
its implementations (a platform or PACS over DICOMweb, the offline cache, a folder or CD),
how they are opened from the configuration, and signing in to them.

Code outside this package speaks to sources through the protocol and their declared
:class:`~viewer.sources.protocol.Capabilities` only: it never names a concrete source
class nor reaches for a client.
"""
