"""What the doctor has open, without Qt: the sources and the cache, the credentials, the
current search and its result, the downloads, and the series open for reading.

:class:`~viewer.session.model.ReadingSession` is the model the window and the CLI both
drive; it emits typed events (psygnal signals) that the window binds to its widgets and
the CLI prints. Progress and problems travel as data; only ``widgets/`` and the CLI put
them into words.
"""
