from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Redaction (Presidio with our recognizers) and the per-request pseudonym vault; no models."""

    name = "rag.privacy"
    label = "privacy"
    verbose_name = "Privacy"
