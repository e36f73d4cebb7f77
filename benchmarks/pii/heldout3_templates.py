"""Business-English sentence templates for the ``heldout3`` PII set, written for it alone.

Slots (filled by :mod:`benchmarks.pii.make_heldout3`):

* entities: ``{P}`` ``{P2}`` ``{P3}`` ``{P4}`` (people), ``{EMAIL}`` ``{EMAIL2}``,
  ``{PHONE}`` ``{PHONE2}``, ``{SSN}``, ``{CARD}``, ``{IBAN}``, ``{IP}`` ``{IP2}``;
* fillers that are not personal data: ``{N3}``..``{N6}`` (digits), ``{LUHN10}``..``{LUHN19}``
  (digits passing the Luhn check, as order/invoice/tracking numbers do), ``{LUHN16G}``
  (the same grouped in fours), ``{VER4}`` (a four-part version string), ``{DATE}``.

``PERSON_TEMPLATES`` are e-mails, tickets, HR notes, CRM entries, meeting notes
and chat messages with names as subject, after role and relation words, in
lists, in parentheses and next to punctuation and numbers. ``LOOKALIKE_TEMPLATES``
hold no personal data at all: products and companies that share a word with a
first or family name, capitalised business and software terms, Luhn-valid
order numbers, version strings shaped like IPv4 addresses, dates that are not
birth dates, ticket ids, places, languages, Greek letters in formulas, units.
"""
from __future__ import annotations

PERSON_TEMPLATES = (
    # e-mail
    "Hi team, {P} will take over the Lisbon account from next Monday.",
    "Please send the signed SOW to {P} by end of day Thursday.",
    "Dear {P}, thank you for confirming the revised delivery window.",
    "As discussed with {P}, we will hold the invoice until the credit note arrives.",
    "{P} asked whether the Q3 forecast includes the Jakarta warehouse.",
    "Forwarding on behalf of {P} \u2014 see the attached rate card.",
    "Best regards,\n{P}\nProcurement Lead, EMEA",
    "Could you add {P} to the distribution list for the weekly ops report?",
    "Reminder: {P}'s access to the finance share expires on 30 June.",
    "I spoke to {P} (the vendor's account manager) and they can ship 400 units.",
    # tickets
    "TCK-{N4}: laptop won't boot after the update. Reporter: {P}. Priority: P2.",
    "Reassigned INC{N6} from {P} to {P2} because of the on-call rotation.",
    "Requester {P} cannot reach the VPN from the Nairobi office since 09:40.",
    "Ticket closed by {P}; root cause was an expired certificate on the proxy.",
    "Escalated to {P} (Tier 3) after two failed password resets.",
    # HR notes
    "HR note: {P} starts on 3 November as Senior Data Analyst, reporting to {P2}.",
    "Performance review for {P} moved to week 46 at the manager's request.",
    "{P} is on parental leave until February; route approvals to the deputy.",
    "Relocation package approved for {P}, moving from Pune to Rotterdam.",
    "Exit interview with {P} scheduled for Friday 10:00 in room 4.12.",
    "Please update the org chart: {P} now leads the payments squad.",
    "Salary band review: {P}, grade 7, no change recommended.",
    # CRM
    "Contact: {P} | Role: Head of Procurement | Stage: Negotiation",
    "CRM note \u2014 call with {P} went well; they want a pilot in two regions.",
    "Lead owner changed to {P}. Previous owner: {P2}.",
    "The decision maker is {P}; the CFO signs anything above 250k.",
    "Account {N5} \u2014 primary contact {P}, secondary contact {P2}.",
    "Met {P} at the Hannover trade fair; follow up with pricing for 1,200 seats.",
    # meeting notes
    "Attendees: {P}, {P2}, {P3}. Apologies: {P4}.",
    "Action item ({P}): circulate the updated risk register before 14:00.",
    "Minutes taken by {P}. Next sync on Tuesday.",
    "Decision: go with option B. Owner \u2014 {P}; reviewer \u2014 {P2}.",
    "{P} presented the churn analysis; 3 of 5 regions are above target.",
    "Next steps: {P} to confirm budget with finance, {P2} to draft the RFP.",
    # chat
    "@here {P} is covering support today, ping them for anything urgent",
    "thanks {P}!! the dashboard is finally green",
    "can someone check with {P} whether last night's build shipped?",
    "{P}: I'll be 10 min late, start without me",
    "lol {P} just fixed the printer on floor 3 again",
    "ok so {P} and {P2} are both out tomorrow, who approves the PRs?",
    # after role and relation words
    "The new hire's manager, {P}, has not signed the equipment form.",
    "Our landlord's agent {P} wants the keys returned by the 15th.",
    "Her colleague {P} will present instead.",
    "The candidate was referred by {P} from the Seoul team.",
    "My line manager {P} approved the expense (claim #{N5}).",
    "Supplier contact: {P}.",
    "The interpreter, {P}, charged for 6 hours.",
    "Emergency contact for the trip: {P}, mobile number on the HR record.",
    # next to punctuation and numbers
    "Room 4B/{P}/desk 17 \u2014 please relabel the monitor.",
    "Badge #{N5}-{P} was deactivated on 2 May.",
    "Shortlist: 1.{P} 2.{P2} 3.{P3}",
    "Signed off (v3) by {P}.",
    "\"{P}\" is spelled differently in the payroll system, please fix.",
    "Invoice 2026/0417 \u2014 attn: {P}; PO ref 55-190.",
    "Owner:{P};Due:2026-11-14;Status:open",
    "[{P}] please review lines 120\u2013184 of the contract.",
    "{P}'s laptop (asset {N4}) is due back to IT.",
    "Flight LH 0412 for {P}, 2 bags, seat 14C.",
    "Pick-up list \u2014 {P} \u00d72, {P2} \u00d71.",
    "Vacation: {P} 12\u201316 Aug; {P2} 19\u201323 Aug.",
    # subject of the sentence, elsewhere
    "{P} approved the budget transfer of 18,500 EUR.",
    "{P} has been added as a reviewer on the data-retention policy.",
    "{P} declined the meeting: conflict with the board prep.",
    "Following the audit, {P} will own the vendor risk assessments.",
    "According to {P}, the customs paperwork is still in Antwerp.",
    "We received a complaint from {P} about duplicate charges.",
    "Congratulations to {P} on ten years with the company!",
    "The keynote will be given by {P} at 9:30.",
    "Payroll query raised by {P} regarding the overtime in September.",
    "Please book a taxi for {P} from the airport to the Osaka office.",
)

# Structured PII, by the entity type the template is written for.
STRUCTURED_TEMPLATES = {
    "EMAIL": (
        "Please reply to {EMAIL} with the corrected invoice.",
        "Contact: {EMAIL} (sales, APAC)",
        "The bounce came back for <{EMAIL}>; is the address still valid?",
        "cc: {EMAIL}; {EMAIL2}",
        "Login for the portal is {EMAIL}, reset link already sent.",
        "Her new address is {EMAIL}, the old one stops working on Friday.",
    ),
    "PHONE": (
        "Call me on {PHONE} after 3 pm.",
        "Mobile: {PHONE} | Office: {PHONE2}",
        "The courier's driver can be reached at {PHONE}, reference {N4}.",
        "If the door is locked, ring {PHONE}.",
        "Customer asked for a call back at {PHONE} (evenings only).",
        "Updated emergency number on the travel form: {PHONE}.",
    ),
    "US_SSN": (
        "Employee SSN {SSN} is missing from the W-4 record.",
        "SSN: {SSN}; address verified; start date confirmed.",
        "The background check vendor needs the SSN ({SSN}) by Friday.",
        "Please mask {SSN} in the exported payroll file.",
        "Applicant's social security number is {SSN}, per the I-9.",
    ),
    "CREDIT_CARD": (
        "The customer's card {CARD} was charged twice for order {N6}.",
        "Please refund to card {CARD}, exp 09/28.",
        "Caller read out {CARD} over the phone; remove it from the call notes.",
        "Corporate card {CARD} is blocked after three declines.",
        "Card number:{CARD} (do not store)",
    ),
    "IBAN": (
        "Please pay the supplier to IBAN {IBAN}, ref INV-{N5}.",
        "New bank details for the contractor: {IBAN}.",
        "Salary account changed to {IBAN} from next month.",
        "Refund routed to {IBAN}; allow 3 business days.",
        "IBAN:{IBAN}",
    ),
    "IP_ADDRESS": (
        "Failed logins for the user from {IP} between 02:00 and 02:15 UTC.",
        "The employee's home router is {IP}; allow it on the SFTP drop.",
        "The user's session came from {IP}; geo says Frankfurt.",
        "Laptop last seen at {IP} on the guest Wi-Fi, then at {IP2}.",
        "Her VPN client reported {IP} just before the tunnel dropped.",
    ),
}

# People together with structured values.
MIXED_TEMPLATES = (
    "{P} can be reached at {PHONE} or {EMAIL}.",
    "Expense reimbursement for {P} goes to {IBAN}.",
    "{P} (SSN {SSN}) needs a corrected W-2.",
    "Card {CARD} belongs to {P}; verify before refunding.",
    "VPN login for {P} from {IP} flagged as impossible travel.",
    "New starter {P}, email {EMAIL}, desk phone {PHONE}.",
)

LOOKALIKE_TEMPLATES = (
    # products, software and companies that share a word with a person name
    "Jenkins failed on the nightly pipeline; rerun job {N4} after the cache purge.",
    "We migrated the analytics notebooks from Julia 1.9 to Python 3.12.",
    "The marketing site is built with Hugo and deployed from the main branch.",
    "Upgrade the Django apps to 5.1 before the security window closes.",
    "Kafka consumer lag on topic orders.v2 peaked at 38,000 messages.",
    "The Marisol CRM import skipped 212 rows because of an empty region field.",
    "Harlan Freight quoted 2,480 USD for the Rotterdam\u2013Gda\u0144sk leg.",
    "Bergstr\u00f6m Logistics AB confirmed the pallet count for week 41.",
    "Tanaka Seiki is our second-source supplier for the bearing housings.",
    "Order 30 more Ingrid desk lamps for the Malm\u00f6 office (SKU IG-220).",
    "The Mateo router firmware ships with SSH disabled by default.",
    "Project Aurora moves to phase 2 once the steering committee signs off.",
    "Sakura Logistics handles the last-mile delivery in Nagoya.",
    "The Lorenzo espresso machines on floor 2 need descaling.",
    "Wagner Industrial Coatings raised their price list by 4%.",
    "The Ada compiler toolchain is only needed for the avionics repository.",
    "The Sage payroll export runs on the 25th of each month.",
    "The Rosalind lab notebook licence covers 40 seats.",
    "Ferrari and Porsche sponsor the charity rally this year.",
    "Ship 40 units of the Bianca chair in oak to the Lyon showroom.",
    "Casper, the release bot, posts the deploy summary in #releases.",
    "Our Dell and Lenovo fleet is due for BIOS updates.",
    "The Matilda release train freezes on the 3rd.",
    "Yusuf Foods Ltd moved its distribution centre to Leicester.",
    "Nakamura Precision shipped the molds a week early.",
    "Kowalski Transport Sp. z o.o. needs the customs declaration by noon.",
    "The Priya spice blend sells out every Diwali season.",
    # capitalised business and software terms
    "Customer Success and Revenue Operations own the renewal playbook.",
    "The Scrum Master will move Sprint Review to Thursday.",
    "Kanban board: 14 items in Doing, 3 Blocked, 22 Done.",
    "Single Sign-On via SAML is required for Enterprise tier accounts.",
    "Open the Admin Console, then Billing, then Payment Methods.",
    "Release Notes, Known Issues and Upgrade Path are in the Confluence space.",
    "Total Cost of Ownership falls by 18% with the Managed Service option.",
    "General Availability is planned after the Public Preview feedback.",
    "Standard Operating Procedure SOP-114 covers Returns and Exchanges.",
    "Net Promoter Score rose from 31 to 44 after the Help Center redesign.",
    "The Head of Legal and the Chief Risk Officer must both sign.",
    "Dear Customer, your subscription renews automatically.",
    "Hi team, quick reminder about the all-hands at 16:00.",
    "Regards,\nAccounts Payable",
    "Thanks,\nThe Payroll Team",
    "Welcome to the Partner Portal \u2014 start with Getting Started.",
    # numbers that pass the Luhn check but are order, invoice or tracking numbers
    "Order number {LUHN16} shipped in two parcels.",
    "Invoice {LUHN12} is overdue by 14 days; reminder sent.",
    "Tracking ID {LUHN14} shows the parcel held at customs.",
    "Purchase order PO {LUHN10} was approved on the second pass.",
    "Pick list {LUHN16G} is ready at dock 4.",
    "Serial {LUHN15} on the UPS battery matches the warranty claim.",
    "Container booking {LUHN13} sails on 14 November.",
    "The ERP assigned document number {LUHN16} to the credit note.",
    "Gift voucher batch {LUHN19} was printed for the trade show.",
    # version strings shaped like IPv4 addresses
    "Bump the base image to 10.2.0.4 and rebuild.",
    "The driver package 4.18.0.305 fixes the NIC timeout.",
    "Firmware {VER4} is required before enabling link aggregation.",
    "Windows build 10.0.22631.3447 introduced the printing regression.",
    "Regression started in 2.4.1.17; 2.4.1.16 is clean.",
    "Minimum supported client: 8.1.0.2 on desktop, 8.1.0.5 on mobile.",
    "The plugin API changed between release {VER4} and the next minor.",
    "Clause 12.4.3.1 of the MSA covers indemnity.",
    "The SNMP tree under 1.3.6.1.4.1 is the vendor's private branch.",
    "Subnet mask 255.255.255.0 is printed on the router label.",
    # dates that are not birth dates
    "The contract renews on {DATE}; the notice period is 90 days.",
    "Quarter close is {DATE}, please submit accruals before then.",
    "The office is closed on 25/12/2026 and 01/01/2027.",
    "Go-live moved from 3 March to 17 March 2027.",
    "The TLS certificate expires 2027-02-28T23:59:59Z.",
    "Fiscal year 2026/27 starts on 1 April.",
    "Warranty is valid until {DATE} for all units shipped in batch 7.",
    # ticket ids and other codes
    "PAY-2231 blocks PAY-2240 and OPS-118.",
    "INC0048812 is a duplicate of INC0048790; closing.",
    "Change request CHG-2026-0913 was approved by the CAB.",
    "Bug #{N5}: export to CSV drops the last column.",
    "Ticket SR-77120-B has been waiting on the customer for 12 days.",
    "Part number 030-1234-5678 is the replacement fan assembly.",
    "Batch 2026-4417-88 failed QA on humidity.",
    "Spec sheet ref 812-44-1093 covers the M8 bolts.",
    "SWIFT message type MT103 carries the payment instruction.",
    # places
    "Shipments to S\u00e3o Paulo, Bogot\u00e1 and Mexico City are delayed by the port strike.",
    "The Krak\u00f3w and Wroc\u0142aw teams will share one release calendar.",
    "Our data centres are in Frankfurt, Z\u00fcrich and Stockholm.",
    "Freight from Gda\u0144sk to Izmir takes nine days.",
    "We opened a sales office in Nairobi and a support hub in Lagos.",
    "The Ho Chi Minh City factory moved to two shifts.",
    "Pricing for C\u00f4te d'Ivoire and Senegal is set in XOF.",
    "Tax rules differ between Qu\u00e9bec and Ontario for this SKU.",
    "Users in Jordan, Israel and Greece report slow uploads.",
    "Roadshow stops: Seoul, Osaka, Taipei, Bangkok.",
    "The Lincoln warehouse and the Jackson depot share one forklift fleet.",
    "Washington State sales tax applies to this shipment.",
    # place and language names in their own scripts
    "The Tokyo office sign reads \u6771\u4eac\u672c\u793e; use it on the badge template.",
    "Address label for the Moscow warehouse: \u041c\u043e\u0441\u043a\u0432\u0430, \u0441\u043a\u043b\u0430\u0434 3.",
    "The language picker shows \u65e5\u672c\u8a9e, \ud55c\uad6d\uc5b4, \u0420\u0443\u0441\u0441\u043a\u0438\u0439 and "
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629.",
    "Set the Greek locale label to \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac on the settings page.",
    "The Hindi menu item reads \u0939\u093f\u0928\u094d\u0926\u0940 (beta).",
    "The Hebrew UI string for Save is \u05e9\u05de\u05d5\u05e8.",
    "Chinese labels on the form: \u8ba2\u5355 (order) and \u53d1\u7968 (invoice).",
    # Greek letters in maths and engineering
    "The \u03b2 coefficient of the regression is 0.42 with \u03c3 = 0.07.",
    "\u0394t between samples is 12 ms, so the Nyquist limit is about 41.7 Hz.",
    "Laser wavelength \u03bb = 1550 nm, fibre loss 0.2 dB/km.",
    "The filter uses \u03b1 = 0.3 smoothing and a 5 k\u03a9 pull-up.",
    "Shear stress \u03c4 stays below 250 MPa with a safety factor of 1.5.",
    "Set \u03bc = 0 and \u03b5 = 1e-6 for the solver.",
    "The \u03c0-network matching circuit drifts above 40 \u00b0C.",
    "The \u03c9\u00b2 term dominates at high rotor speed.",
    # units
    "Ship 12 kg of resin at 4 \u00b0C; the pallet is 120 \u00d7 80 cm.",
    "Throughput was 1.8 GB/s with 64 KiB blocks.",
    "Power draw is 450 W idle and 1.2 kW peak.",
    "Rack 7 uses 32 A feeds at 230 V.",
    "The conveyor runs at 0.6 m/s, 3,600 units/h, with 20 \u00b5s encoder ticks.",
    # language names
    "Subtitles are ready in Swahili, Yoruba and Amharic.",
    "We need Thai and Vietnamese translations before launch.",
    "The chatbot answers in Polish, Turkish and Ukrainian.",
    # ordinary words and eponyms that are also names
    "Mark the invoice as disputed and bill the remainder next month.",
    "The grace period for late payments is 10 days.",
    "The Rose Garden terrace is booked for the summer party.",
    "Will the new policy apply to contractors as well?",
    "The April release includes the new tax tables; June brings SEPA Instant.",
    "Attach the Gantt chart and a Pareto analysis of the defects.",
    "The Kalman filter smooths the GPS track before map matching.",
    "Use Dijkstra's algorithm for the depot routing prototype.",
    "A Fourier transform of the vibration data shows a 50 Hz peak.",
    "The Bayesian model beats the baseline on 7 of 9 stores.",
)
