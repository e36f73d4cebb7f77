"""OpenAI-compatible Chat Completions API (``/v1/chat/completions``, ``/v1/models``)."""
