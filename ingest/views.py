from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ingest.blobs import blob_get
from ingest.parsers import ParseError, document_parse
from ingest.selectors import chunk_get, document_list, document_status_counts
from rag.access.selectors import collection_ids_readable, collections_readable


@login_required
def documents_page(request):
    status = request.GET.get("status") or None
    readable = collection_ids_readable(user=request.user)
    page = Paginator(document_list(status=status, collection_ids=readable), 50).get_page(request.GET.get("page"))
    return render(request, "ingest/documents.html", {
        "page": page, "status": status,
        "status_counts": list(document_status_counts(collection_ids=readable).items()),
        "collections": collections_readable(user=request.user),  # the upload form's choices
    })


@login_required
def source_page(request, chunk_id: int):
    """The chunk highlighted in its document's parsed text (re-parsed from the stored blob).
    404 for a chunk the user may not read, exactly as for one that does not exist."""
    chunk = chunk_get(chunk_id=chunk_id, collection_ids=collection_ids_readable(user=request.user))
    if chunk is None:
        raise Http404("no such source")
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
