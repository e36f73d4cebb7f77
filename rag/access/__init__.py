"""Who may see what: collection grants, API tokens, rate limits and sign-in.

Read access is granted per collection (``CollectionAccess``) to Django groups or
to everyone signed in; staff and superusers read everything. Apps authenticate
with scoped, expiring ``APIToken``s. :func:`rag.access.selectors.collection_ids_readable`
is the one place that answers "which collections may this principal read?", and
retrieval applies its answer inside the SQL query.
"""
