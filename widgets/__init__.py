"""Qt layer of Qingying: thin wiring over the Qt-free core in ``viewer/``.

No DICOM or network logic lives here; widgets show the core's state and forward the
user's actions to it.
"""
