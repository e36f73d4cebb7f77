from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The hash-chained audit trail: connects the sign-in receiver and the app-role grant after every migrate."""

    name = "rag.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Authentication events come from django.contrib.auth's signals: login is
        # framework code we do not own, so a receiver is the one place to hook it.
        # (Failed sign-ins are rag.access's: limited per client, audited in aggregate.)
        from django.contrib.auth.signals import user_logged_in

        from rag.audit import receivers

        user_logged_in.connect(receivers.login_succeeded_record, dispatch_uid="audit.login_succeeded")

        # After every migrate (run as the owner role), grant the app role its rights on
        # every table, including those the migration just created (rag.audit.roles).
        from django.db.models.signals import post_migrate

        from rag.audit.roles import post_migrate_grant

        post_migrate.connect(post_migrate_grant, sender=self, dispatch_uid="audit.app_role_grant")
