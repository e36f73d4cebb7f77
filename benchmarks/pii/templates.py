"""Sentence templates and look-alike vocabularies of the PII dev set, one set per split.

Slots in PII templates: ``{P}``, ``{Q}`` people; ``{EMAIL} {PHONE} {SSN} {CARD}
{IBAN} {IP}`` structured values. Slots in look-alike (no-PII) templates:
``{LUHN}`` a Luhn-valid 16-digit id, ``{VER}`` a dotted quad version,
``{PRODUCT}`` a product named like a person, ``{COMPANY}`` a company named
after people, ``{PLACE}`` a place named like a person, ``{INV}`` an invoice
id, ``{DATE}`` a recent date, ``{OLDDATE}`` a date decades back (not a birth).

The splits share no template and no vocabulary word. ``dev`` and ``heldout``
are the original pair (``heldout`` is frozen: its records must not change);
``heldout2`` was written in one go *before* any tuning on the extended dev
set and scored once; since that score it is a tuning set like ``dev`` (see
``make_dev_set.py``).
"""
from __future__ import annotations

# {P}, {Q}: people; {EMAIL} {PHONE} {SSN} {CARD} {IBAN} {IP}: structured values.
DEV_TEMPLATES = [
    "Please forward the signed NDA to {P} before Friday.",
    "{P} approved the purchase order for 40 laptops.",
    "Our supplier contact {P} asked for the revised delivery schedule.",
    "Attendees: {P}, {Q} and the facilities team.",
    "The approver ({P}) rejected the expense claim twice.",
    "Ticket #4471 — reassigned from {P} to {Q}.",
    "Can you check whether {P}'s badge still opens the server room?",
    "The contract was countersigned by {P}.",
    "Escalate to {P}; the customer is waiting since 09:30.",
    "New hire {P} starts on Monday in the Lisbon office.",
    "Reach {P} at {EMAIL} about the visa letter.",
    "{P} (ext. 4411) will cover the help desk this week.",
    "Refund the deposit for {P} to IBAN {IBAN}.",
    "{P} called from {PHONE} about the broken monitor.",
    "The login for {P} came from {IP} at 03:12 UTC.",
    "Payroll flagged SSN {SSN} on the record of {P}.",
    "Charge the conference fee for {P} to card {CARD}.",
    "Hi team, {P} and {Q} will run the onboarding session.",
    "Minutes taken by {P}. Next review: Q3.",
    "Is the travel policy the same for {P} as for contractors?",
    "Laptop asset 7781 belongs to {P}, not {Q}.",
    "3 approvals missing: {P}, {Q}, finance.",
    "Send the relocation packet to {EMAIL}; {P} already has the forms.",
    "The witness statement from {P} mentions the loading dock.",
]
HELDOUT_TEMPLATES = [
    "Could {P} review the vendor risk assessment by Thursday?",
    "The quarterly bonus for {P} was paid late.",
    "Per our call, {P} will send the updated floor plan.",
    "Speakers: {P} / {Q} / the CFO.",
    "A complaint about {P} was filed with HR on 2 May.",
    "{P}, our account manager in Seoul, left the company.",
    "Forward {P}'s resignation letter to legal.",
    "Shipping label printed for {P} (order 8813).",
    "Interview panel — {P}, {Q}.",
    "Why was {P} removed from the distribution list?",
    "Please add {P} to the on-call rota starting week 12.",
    "The expense report of {P} includes a 120 EUR taxi ride.",
    "{P} wrote: \"the VPN drops every hour\".",
    "Mentor assignment: {Q} will mentor {P}.",
    "Mail {P} at {EMAIL} for the access request.",
    "Text {P} on {PHONE} when the courier arrives.",
    "Repeated failed logins from {IP} targeted {P}.",
    "Salary for {P} goes to account {IBAN} from June.",
    "The background check lists SSN {SSN} for {P}.",
    "Card {CARD} was used to book the flight of {P}.",
    "Thanks to {P} for fixing the printer.",
    "Desk 14B is reserved for {P} until 30 June.",
    "Does {P} still need admin rights on the build server?",
    "Badge photo missing for {P}; {Q} will chase it.",
]
# no personal data; look-alikes of it
DEV_LOOKALIKES = [
    "Order no. {LUHN} shipped on 12 March 2024 from the Leeds warehouse.",
    "Upgrade the agent to version {VER} before the patch window.",
    "The {PRODUCT} dashboard shows 3 failed builds since build {VER}.",
    "Invoice {INV} is due on {DATE}; pay by bank transfer.",
    "Tracking number {LUHN} was delayed at customs.",
    "Release {VER} fixes the memory leak in the {PRODUCT} plugin.",
    "Room B-204 is booked for the {PRODUCT} demo on {DATE}.",
    "Firmware {VER} is required for the badge readers on floor 3.",
    "The {PRODUCT} licence renewal costs 4,200 EUR per year.",
    "Reference {LUHN} appears on the customs declaration.",
    "Latency dropped to 40 μs after the kernel update.",
    "Set the α parameter to 0.3 in the anomaly detector.",
]
HELDOUT_LOOKALIKES = [
    "Purchase order {LUHN} was approved by the finance committee.",
    "Build {VER} failed the smoke tests on the staging cluster.",
    "We migrated the {PRODUCT} workspace on {DATE} without downtime.",
    "The fire drill is scheduled for {DATE} at 10:00.",
    "Case number {LUHN} is closed; no refund is due.",
    "Kernel {VER} is the minimum for the new VPN client.",
    "Is the {PRODUCT} integration covered by the support contract?",
    "The SKU {INV} is out of stock until {DATE}.",
    "Ticket ref {LUHN} duplicates the printer outage report.",
    "Roll back the {PRODUCT} connector to release {VER}.",
    "The contract with the Σ-Delta supplier expires in December.",
    "Mean error was 2.1 µm on the calibration rig.",
]
PRODUCTS_DEV = ["Jasper", "Ruby", "Hugo", "Maya", "Alexa", "Ember", "Iris", "Victoria"]
PRODUCTS_HELDOUT = ["Julia", "Ada", "Cortana", "Siri", "Flora", "Phoenix", "Jenkins", "Grace"]

# look-alike kinds added for tuning (dev only): ids that pass Luhn, versions
# without the word "version", dates that are not birth dates, products,
# companies and places named like people, capitalised nouns at sentence start,
# code identifiers, allow-listed non-Latin words, Greek symbols.
DEV_LOOKALIKES_MORE = [
    "Booking {LUHN} for the Lisbon offsite is confirmed.",
    "Confirmation code {LUHN} was sent to the shared mailbox.",
    "RMA {LUHN}: two faulty docking stations returned.",
    "Waybill {LUHN} lists 12 pallets of paper.",
    "Please quote {LUHN} when you call the carrier.",
    "Upgrade the agent to {VER} before the patch window.",
    "Agent {VER} and later support the new proxy settings.",
    "The {PRODUCT} app {VER} crashes on start-up; {VER} does not.",
    "Pin the base image to {VER} until the CVE is fixed.",
    "The office in {PLACE} opened on {OLDDATE}.",
    "Contract signed {DATE}, renewal due {DATE}.",
    "Since {OLDDATE} the plant has run on solar power.",
    "{PRODUCT} flagged 14 suspicious logins overnight.",
    "Ask {PRODUCT} Support about the licence key.",
    "{PRODUCT} Analytics and {PRODUCT} Insights share one dashboard.",
    "The maintenance contract with {COMPANY} ends in June.",
    "{COMPANY} raised the price of the service plan.",
    "Our auditors at {COMPANY} asked for the access logs.",
    "We compared quotes from {COMPANY} and {COMPANY}.",
    "The {PLACE} warehouse is closed for stocktaking.",
    "Flights to {PLACE} are booked through the travel desk.",
    "Meeting rooms in {PLACE} need new projectors.",
    "Grant Approval for the new lab is still pending.",
    "Summer Hours start on the first Monday of July.",
    "Rose Garden Suite is closed for painting this week.",
    "Will Power, the resilience workshop, is fully booked.",
    "Frank Feedback Sessions now run monthly.",
    "Bill Payments for March are due on Friday.",
    "Sterling Reserves fell 2% in March.",
    "Mark Complete once the checklist is done.",
    "Call UserService.findByName() before saving the record.",
    "The JohnDoeFixture class seeds the test database.",
    "Set MAX_RETRY_COUNT to 5 in settings.py.",
    "The PaymentGateway Refund Handler logs every retry.",
    "Switch the interface language to 日本語 or 한국어 in Settings.",
    "The language menu lists Русский, Ελληνικά and עברית.",
    "Translations for हिन्दी and ไทย are 80% complete.",
    "The Chinese manual (中文) is on the intranet.",
    "The β release of the scanner app ends on Friday.",
]
COMPANIES_DEV = ["Johnson Controls", "Morgan Stanley", "Goldman Sachs", "Hewlett Packard", "Marks & Spencer",
                 "Dow Jones", "Rolls-Royce", "Warner Bros"]
PLACES_DEV = ["Santa Clara", "Alice Springs", "San Jose", "Fort Worth", "Port Elizabeth", "St. Helens",
              "Victoria Station", "Mount Pleasant"]
COMPANIES_HELDOUT = PLACES_HELDOUT = ["Acme"]  # the frozen split has no such slot

# ------------------------------------------------------------------ heldout2 (scored once; a tuning set since)
HELDOUT2_TEMPLATES = [
    "Hi {P}, the badge reader on level 2 is fixed.",
    "Per HR, {P} moves to the Dublin team in Q2.",
    "Who signed off the change request — {P} or {Q}?",
    "Attached: CV of {P} (2 pages).",
    "Overtime approved for {P}: 6h on Saturday.",
    "1) {P} 2) {Q} 3) the vendor — please confirm the order of talks.",
    "Our driver, {P}, was stopped at the gate.",
    "Cc: {P}; {Q}",
    "The laptop was handed back by {P} on 14/03.",
    "{P}'s manager asked for a second interview.",
    "Feedback from {P}: the onboarding checklist is too long.",
    "[{P}] requested a standing desk.",
    "Please invite {P} and {Q} to the kickoff.",
    "Reimburse {P} — taxi, 43.50 EUR.",
    "Deputy: {P}. Backup: {Q}.",
    "I spoke to {P} yesterday about the parking permit.",
    "{P} confirmed the hotel for 3 nights.",
    "Contact for deliveries: {P}, {PHONE}.",
    "{P} <{EMAIL}> asked to be removed from the newsletter.",
    "The refund to {P} went to {IBAN}.",
    "Employee {P}, SSN {SSN}, updated their W-4.",
    "{P} paid with {CARD} and asked for an invoice.",
    "VPN session for {P} started from {IP}.",
    "The parcel for {P} needs a signature.",
]
HELDOUT2_LOOKALIKES = [
    "Consignment {LUHN} left the depot at 06:40.",
    "Your voucher code is {LUHN}; it expires in 30 days.",
    "Claim {LUHN} was rejected by the insurer.",
    "Batch {LUHN} failed the humidity test.",
    "Loyalty number {LUHN} earned 300 points.",
    "{LUHN} is the transaction id in the payment log.",
    "The {VER} hotfix is rolled out to 40% of laptops.",
    "Driver {VER} breaks the docking station audio.",
    "We are stuck on {VER} because of the plugin API.",
    "{PRODUCT} {VER} is the long-term support line.",
    "The Helsinki office opened on {OLDDATE} with 12 staff.",
    "Offsite: {DATE}, venue to be confirmed.",
    "Warranty from {DATE} to {DATE}.",
    "Our first customer signed on {OLDDATE}.",
    "{PRODUCT} now summarises tickets in the help desk.",
    "Is {PRODUCT} allowed to read the shared drive?",
    "The {PRODUCT} bot replied to 1,200 questions last week.",
    "{COMPANY} won the tender for the canteen.",
    "Invoices from {COMPANY} go to accounts payable.",
    "The audit by {COMPANY} starts in September.",
    "Ask {COMPANY} for the updated SLA.",
    "The {PLACE} site switches to the new badge system.",
    "Two trucks left {PLACE} this morning.",
    "Relocation to {PLACE} is planned for 2027.",
    "Major Incident Review is on Tuesday at 10:00.",
    "Grace Period Extensions need a director's sign-off.",
    "Dawn Patrol starts at 05:00 on the loading dock.",
    "Faith Based Initiatives are out of scope for this grant.",
    "Penny Auctions are banned on the company marketplace.",
    "Hunter Green is the new colour of the lobby.",
    "The OrderService.cancelByCustomer() call times out.",
    "Rename the AliceBobExchange test to something clearer.",
    "Export LOG_LEVEL=debug before running the worker.",
    "Kafka Connect workers restart every night.",
    "The site is available in Deutsch, Español, 日本語 and 中文.",
    "Pick Українська or Polski from the language menu.",
    "Subtitles in العربية are missing from the training video.",
    "The Korean keyboard label reads 한/영.",
    "The Tokyo shop sign says 営業中 (open).",
    "The γ correction is set to 2.2 on the kiosk screens.",
    "Δ between the two quotes is 3%.",
]
PRODUCTS_HELDOUT2 = ["Dolly", "Marvin", "Bonnie", "Clara", "Otto", "Lena", "Felix", "Alexis"]
COMPANIES_HELDOUT2 = ["Grant Thornton", "Baker McKenzie", "Franklin Templeton", "Charles Schwab", "Wells Fargo",
                      "Clifford Chance", "Harley-Davidson", "Dean Foods"]
PLACES_HELDOUT2 = ["Milton Keynes", "Palo Alto", "Grand Rapids", "Lake Louise", "Kings Cross", "Baton Rouge",
                   "Port Louis", "Martin Place"]
