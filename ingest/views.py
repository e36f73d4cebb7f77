from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ingest.blobs import blob_get
from ingest.erasure import collection_delete, document_remove
from ingest.parsers import ParseError, document_parse
from ingest.selectors import chunk_get, document_list, document_status_counts
from rag.access.models import CollectionRole
from rag.access.selectors import collection_ids_readable, collection_ids_with_role, collections_readable
from rag.core.pages import refusal_shown


@login_required
def documents_page(request):
    """The documents page: readable documents (50 a page, ``?status=`` filter), counts by status, the
    upload form's collections (contributor or better) and delete buttons where the user manages.
    """
    status = request.GET.get("status") or None
    readable = collection_ids_readable(user=request.user)
    page = Paginator(document_list(status=status, collection_ids=readable), 50).get_page(request.GET.get("page"))
    collections = list(collections_readable(user=request.user))
    # where delete buttons show (None: everywhere); the services check again
    manageable = collection_ids_with_role(user=request.user, role=CollectionRole.Role.MANAGER)
    writable = collection_ids_with_role(user=request.user, role=CollectionRole.Role.CONTRIBUTOR)
    return render(request, "ingest/documents.html", {
        "page": page, "status": status,
        "status_counts": list(document_status_counts(collection_ids=readable).items()),
        # the upload form's choices: where the user may add documents
        "collections": [c for c in collections if writable is None or c.pk in writable],
        "manageable": manageable,
        "deletable": [c for c in collections if manageable is None or c.pk in manageable],
    })


@login_required
@require_POST
def document_delete_page(request, document_id: int):
    """Delete a document (the page asked for confirmation); a refusal is shown as a message."""
    with refusal_shown(request, prefix="Not deleted: "):
        deleted = document_remove(document_id=document_id, user=request.user)
        messages.success(request, f"Deleted document #{document_id}"
                                  + (" and its pending replacement" if len(deleted) > 1 else "") + ".")
    return redirect("documents")


@login_required
@require_POST
def collection_delete_page(request, slug: str):
    """Delete a collection and everything in it; the form must repeat the slug to confirm."""
    if request.POST.get("confirm_slug", "") != slug:
        messages.error(request, f"Not deleted: type the collection's name {slug!r} to confirm.")
        return redirect("documents")
    with refusal_shown(request, prefix="Not deleted: "):
        result = collection_delete(slug=slug, user=request.user)
        messages.success(request, f"Deleted collection {slug} with {result['documents']} documents "
                                  f"and {result['chunks']} chunks.")
    return redirect("documents")


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
