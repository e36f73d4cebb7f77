from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ingest.blobs import blob_get
from ingest.models import Chunk
from ingest.parsers import ParseError, document_parse
from ingest.selectors import document_list, document_status_counts


@login_required
def documents_page(request):
    status = request.GET.get("status") or None
    page = Paginator(document_list(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "ingest/documents.html", {
        "page": page, "status": status, "status_counts": list(document_status_counts().items()),
    })


@login_required
def source_page(request, chunk_id: int):
    """The chunk highlighted in its document's parsed text (re-parsed from the stored blob)."""
    chunk = get_object_or_404(Chunk.objects.select_related("document"), pk=chunk_id)
    document = chunk.document
    try:
        text = document_parse(data=blob_get(document.sha256), filename=document.source).text
        body = mark_safe(
            escape(text[: chunk.char_start]) + '<mark id="cited">' + escape(text[chunk.char_start: chunk.char_end])
            + "</mark>" + escape(text[chunk.char_end:])
        )
    except (FileNotFoundError, ParseError):
        body = mark_safe('<mark id="cited">' + escape(chunk.text) + "</mark>")
    return render(request, "ingest/source.html", {"chunk": chunk, "document": document, "body": body})
