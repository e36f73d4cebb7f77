from celery import shared_task
from django.db import InterfaceError, OperationalError

from ingest.services import document_process


@shared_task(
    name="ingest.document_ingest",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=5,
    acks_late=True,
)
def document_ingest_task(document_id: int) -> None:
    """Parse, chunk, embed and store one document (see ingest.services.document_process)."""
    document_process(document_id=document_id)
