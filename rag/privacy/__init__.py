"""Privacy: pseudonymisation of payloads that leave the network (see :mod:`rag.privacy.redaction`)."""
