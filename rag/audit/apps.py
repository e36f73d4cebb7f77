from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rag.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Authentication events come from django.contrib.auth's signals: login is
        # framework code we do not own, so a receiver is the one place to hook it.
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from rag.audit import receivers

        user_logged_in.connect(receivers.login_succeeded_record, dispatch_uid="audit.login_succeeded")
        user_login_failed.connect(receivers.login_failed_record, dispatch_uid="audit.login_failed")
