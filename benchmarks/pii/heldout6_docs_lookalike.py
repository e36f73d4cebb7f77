"""Paragraph pieces of the ``heldout6`` look-alike documents (no personal data), written from scratch for this set.

Same shape as :data:`benchmarks.pii.heldout6_docs.PII` (which module re-exports ``LOOKALIKE``): per
register a ``head``, ``body`` and ``tail`` list; a document is one register's head, two to four of
its body pieces (in a seeded order) and its tail. ``LOOKALIKE["tune"]`` and ``LOOKALIKE["test"]``
share no piece, nor any piece of ``PII``. The generator draws pieces by index: keep their order.
Look-alike slots: {PRODUCT} {PRODUCT2} {COMPANY} {CITY} {COUNTRY} {VERSION} {VERSION2} {ORDER}
{DATE} {ISBN} {HASH} {TICKET} {LABEL} {AMOUNT} {N}.
"""
from __future__ import annotations

LOOKALIKE = {"tune": {}, "test": {}}

LOOKALIKE["tune"]["release_notes"] = {
    "head": ["{PRODUCT} {VERSION} release notes ({DATE})"],
    "body": [
        "New: the export dialog now remembers the last folder. The {LABEL} button was moved to the toolbar.",
        "Fixed: a crash when {PRODUCT2} plug-ins were loaded from a network share. Upgrading from {VERSION2} "
        "needs no migration.",
        "Known issue: builds for {COUNTRY} use the wrong decimal separator. See {TICKET}.",
    ],
    "tail": ["Checksum of the installer: {HASH}."],
}
LOOKALIKE["tune"]["product_page"] = {
    "head": ["{PRODUCT} by {COMPANY}: made in {CITY}"],
    "body": [
        "Our best-selling model, now in three colours. Prices from {AMOUNT}; free delivery in {COUNTRY}.",
        "Order number format changed on {DATE}: your order {ORDER} still works in the tracking page.",
        "Companion book: ISBN {ISBN}, available from the shop.",
    ],
    "tail": ["{COMPANY}, registered office {CITY}."],
}
LOOKALIKE["tune"]["runbook"] = {
    "head": ["Runbook: restarting the {PRODUCT} queue"],
    "body": [
        "1. Check the version; it must be {VERSION} or later. Older builds leak file handles.",
        "2. Drain the workers. Wait until the backlog counter reads 0, then run the restart job.",
        "3. Compare the config digest with {HASH}. If it differs, stop and open {TICKET}.",
    ],
    "tail": ["Owner: platform team. Reviewed on {DATE}."],
}
LOOKALIKE["test"]["tech_doc"] = {
    "head": ["{PRODUCT} integration guide, version {VERSION}", "Architecture note: {PRODUCT} and {PRODUCT2}"],
    "body": [
        "The client library speaks to the gateway over gRPC. Set the timeout to {N} seconds; the default is too "
        "short for batch jobs.",
        "Builds {VERSION} and {VERSION2} are compatible. Older builds must be upgraded first, see {TICKET}.",
        "Localised labels are read from the bundle, for example {LABEL}. Do not hard-code them.",
        "The artifact digest for this release is {HASH}; verify it before deployment.",
    ],
    "tail": ["Maintained by the integrations guild. Last review: {DATE}.", "Questions go to the #integrations "
             "channel."],
}
LOOKALIKE["test"]["policy"] = {
    "head": ["Travel and expense policy (excerpt), effective {DATE}"],
    "body": [
        "Hotels in {CITY} are capped at {AMOUNT} per night. Bookings above the cap need approval from the "
        "budget holder.",
        "Suppliers such as {COMPANY} are invoiced centrally. Staff should not pay them with a personal card.",
        "Trips to {COUNTRY} require the travel-risk training, refreshed every {N} months.",
    ],
    "tail": ["The policy owner reviews this document yearly."],
}
LOOKALIKE["test"]["order_update"] = {
    "head": ["Shipping update from {COMPANY}"],
    "body": [
        "Your order {ORDER} left our warehouse in {CITY} on {DATE}. The parcel contains {N} items.",
        "Invoice total: {AMOUNT}. Product: {PRODUCT}, firmware {VERSION}.",
        "Reference for customs: {TICKET}. The label reads {LABEL} on the Asian packaging.",
        "The manual has ISBN {ISBN} if you want a printed copy.",
    ],
    "tail": ["This is an automated message; replies are not monitored."],
}
LOOKALIKE["test"]["changelog_table"] = {
    "head": ["Changelog for {PRODUCT}"],
    "body": [
        "| Version | Date | Change |\n|---|---|---|\n| {VERSION} | {DATE} | faster start-up |\n"
        "| {VERSION2} | {DATE} | new {LABEL} dialog |",
        "The table above is generated from the release tags. Build hash: {HASH}.",
        "Distribution partners in {COUNTRY} received the update on the same day.",
    ],
    "tail": ["Next planned release: {PRODUCT2} compatibility work."],
}

LOOKALIKE["tune"]["status_page"] = {
    "head": ["Status update: degraded performance in {CITY} region"],
    "body": [
        "Between 14:02 and 14:40 UTC, requests to the {PRODUCT} API were slower than usual. No data was lost.",
        "Build {VERSION} was rolled back; the fixed build {VERSION2} is rolling out now.",
        "Customers in {COUNTRY} may see the {LABEL} screen once more after the update.",
        "Refunds for affected orders such as {ORDER} are processed automatically.",
    ],
    "tail": ["Next update in 60 minutes. Reference {TICKET}."],
}
LOOKALIKE["test"]["faq"] = {
    "head": ["Frequently asked questions: {PRODUCT}"],
    "body": [
        "Q: Does {PRODUCT} run offline? A: Yes. Sync resumes when the device is online again.",
        "Q: Where is my order? A: Enter the number, for example {ORDER}, on the tracking page.",
        "Q: Which version do I have? A: Open the {LABEL} menu; the number looks like {VERSION}.",
        "Q: Is there a printed manual? A: Yes, ISBN {ISBN}, sold by {COMPANY}.",
    ],
    "tail": ["Still stuck? Our support hours are 08:00 to 18:00 CET."],
}

# ================================================================ tables and lists (long, few sentences)
LOOKALIKE["tune"]["runbook"]["body"].insert(2,
    "| Host role | Version | Digest |\n|---|---|---|\n| primary | {VERSION} | {HASH} |\n| replica | {VERSION2} | {HASH} |")
LOOKALIKE["test"]["order_update"]["body"].insert(1,
    "Line items\nqty;sku;description\n2;{ORDER};{PRODUCT} starter kit\n1;{TICKET};{PRODUCT2} cable, {COUNTRY} plug")
