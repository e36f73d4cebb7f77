"""Who may see and do what: collection roles, approver and auditor, API tokens, rate limits and sign-in.

Per collection, groups or single users are ``reader``, ``contributor`` or ``manager``
(``CollectionRole``); a collection may also be open to everyone signed in
(``CollectionAccess``). ``is_staff`` grants no collection; superusers manage all.
Approving external requests and reading the audit trail are permissions of their own
(:mod:`rag.access.roles`). Apps authenticate with scoped, expiring ``APIToken``s.
:func:`rag.access.selectors.collection_ids_with_role` is the one place that answers
"on which collections does this principal hold this role?" (reads, writes, manages),
and retrieval applies its answer inside the SQL query.
"""
