"""The detection catalogue: the detection file format, loading, ATT&CK metadata, the project folder."""
