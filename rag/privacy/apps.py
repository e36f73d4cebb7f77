from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "rag.privacy"
    label = "privacy"
    verbose_name = "Privacy"
