"""DICOMweb over HTTP (PS3.18): sessions, authentication, QIDO-RS and WADO-RS metadata.

The ``requests.Session`` is built once per source (retries, TLS, timeouts) and passed in;
the client itself knows nothing of keyrings or configuration.
"""
