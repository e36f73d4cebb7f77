"""Paragraph pieces of the ``heldout6`` long documents with PII, written from scratch for this set.

A document is one register's head, two to four of its body pieces (in a seeded order) and its
tail, joined by blank lines. ``PII["tune"]`` and ``PII["test"]`` share no piece. The look-alike
pieces (``LOOKALIKE``, no personal data) live in :mod:`benchmarks.pii.heldout6_docs_lookalike` and
are re-exported here, so ``heldout6_docs.PII`` and ``heldout6_docs.LOOKALIKE`` are the two tables.
Slots in PII pieces (``k`` is the person, 1 to 4):

    {Pk} full name at first mention      {Gk} given name alone      {Hk} title + family name
    {Ik} initials                         {Sk} name before 's        {Xk} " (other-script form)" or ""
    {Ek} e-mail of person k               {L} two to four other people in a list
    {T} {T2} phone   {SSN}   {CARD}   {IBAN}   {IP4} {IPB4} {IP6}   structured values
    {D} a date   {N} a small number   {TK} a ticket id   {CO} a company (not personal data)
"""
from __future__ import annotations

from benchmarks.pii.heldout6_docs_lookalike import LOOKALIKE  # noqa: F401  (re-exported)

PII = {"tune": {}, "test": {}}

# ================================================================ tune: PII
PII["tune"]["email_thread"] = {
    "head": ["From: {P1} <{E1}>\nTo: {P2}\nSubject: Re: access badge for the {D} site visit\n\nHi {G2},"],
    "body": [
        "Thanks for sorting this out so quickly. Could you add {P3} to the visitor list as well? "
        "{G3} is flying in from the regional office and will need escort on level 4.",
        "> On {D}, {P2} wrote:\n> The badge office needs a phone number for every visitor.\n"
        "> Please send them by Thursday.\n\nYou can reach me on {T} and {G3} on {T2}.",
        "I also checked with {H1}'s assistant about parking. The garage only takes plates registered in advance, "
        "so I put ours on the form this morning.",
        "One more thing: the reception desk asked whether {I3} needs a laptop pass. I said yes, to be safe.",
    ],
    "tail": ["Best regards,\n{G1}\n--\n{P1}{X1} | Facilities coordination | {T}"],
}
PII["tune"]["minutes"] = {
    "head": ["Weekly sync, platform team ({D})\nAttendees: {L}, {P1}\nChair: {P2}"],
    "body": [
        "1. Capacity review. {G1} walked through the storage forecast; the cluster crosses 80% by the end of the "
        "quarter. {H2} asked for a cost estimate before anything is ordered.",
        "2. On-call handover. {S1} rotation ends Friday and {P3} takes over. {G3} has not been paged before, so "
        "{I1} will shadow the first night.",
        "3. Vendor access. The VPN allow-list still contains {IP4}; nobody knows who requested it. It will be "
        "removed unless someone claims it this week.",
    ],
    "tail": ["Action points:\nAP: {G1} to send the forecast to {H2}.\nAP: {I3} to read the runbook before Friday."],
}
PII["tune"]["postmortem"] = {
    "head": ["Post-incident review {TK}: checkout latency\nAuthor: {P1}\nReviewed by: {P2}"],
    "body": [
        "Timeline (UTC)\n14:02 {G1} paged by the latency alert\n14:09 {P3} joined the bridge\n"
        "14:20 traffic shifted away from {IP4}\n14:41 error rate back to normal",
        "Root cause. A connection pool on the payments proxy was sized for last year's traffic. {H1} raised the "
        "limit and restarted the pods one by one.",
        "What went well. {S3} quick look at the dashboards saved at least twenty minutes. The status page was "
        "updated by {I2} within ten minutes.",
    ],
    "tail": ["Follow-ups are tracked in {TK}. Questions to {G1} ({E1})."],
}
PII["tune"]["hr_case"] = {
    "head": ["HR case note, confidential\nEmployee: {P1}{X1}\nCase owner: {P2}\nOpened: {D}"],
    "body": [
        "{G1} contacted HR about a change of bank details for payroll. The new account is {IBAN}. "
        "{H2} confirmed the request by phone on {T}.",
        "The employee also asked for the tax form to be re-issued. Payroll needs the SSN on file ({SSN}) to match "
        "the form, and it does.",
        "{H1} mentioned that {S1} manager, {P3}, approved two weeks of leave starting next month. {G3} will "
        "confirm it in the system.",
    ],
    "tail": ["Next review in two weeks. Owner: {I2}."],
}
PII["tune"]["ticket"] = {
    "head": ["Ticket {TK} | Priority: P3 | Requester: {P1} <{E1}>"],
    "body": [
        "Original request: \"My corporate card {CARD} was declined at a hotel in Lisbon although the limit is "
        "fine.\" Assigned to {P2}.",
        "Update from {G2}: the card network shows a fraud hold. The hold was lifted after {H1} confirmed the last "
        "three transactions.",
        "Customer called back from {T}. {G1} says the hotel is now charging a deposit again and asks whether "
        "this will be blocked too.",
    ],
    "tail": ["Status: resolved. Closed by {I2}; survey sent to {E1}."],
}
PII["tune"]["chat"] = {
    "head": ["#infra-help, exported {D}"],
    "body": [
        "[09:14] {P1}: anyone know why the build agent at {IP4} is refusing ssh?\n"
        "[09:15] {P2}: it was rebuilt last night, the host key changed\n[09:15] {G1}: ah, thanks {G2}",
        "[09:31] {P3}: {G1}, can you also check the v6 address {IP6}? monitoring says it's flapping\n"
        "[09:33] {G1}: looking now",
        "[09:40] {G2}: fyi {H3} asked for a summary by noon. I'll write it up.\n[09:41] {I1}: 👍",
    ],
    "tail": ["[09:52] {G3}: fixed, it was the firewall rule. Thanks all."],
}
PII["tune"]["travel"] = {
    "head": ["Booking confirmation {TK}\nTraveller: {P1}{X1}\nBooked by: {P2} ({E2})"],
    "body": [
        "Flight: outbound {D}, economy, seat 23C. The airline will text gate changes to {T}. Please bring the "
        "passport you used for the booking.",
        "Hotel: three nights near the conference venue. The room is guaranteed with the card ending in the "
        "number you gave us; the full number on file is {CARD}.",
        "Note from {G2}: {H1} prefers a window seat and asked for a vegetarian meal. {G1} also wants a late "
        "check-out if possible.",
    ],
    "tail": ["Changes: reply to {E2} or call {T2}. Travel desk, {I2}."],
}
PII["tune"]["expense"] = {
    "head": ["Expense report, {D}\nClaimant: {P1}\nApprover: {P2}"],
    "body": [
        "| Date | Item | Amount |\n|---|---|---|\n| {D} | Taxi to client | 42.10 |\n| {D} | Dinner with {P3} | 118.00 |",
        "Reimbursement goes to {IBAN}. {G1} notes that the dinner receipt is a photo because the original was "
        "lost.",
        "{H2} queried the dinner: the policy limit is 50 per head. {S1} reply was that {G3} had invited two more "
        "guests at the last minute.",
    ],
    "tail": ["Approved with a note, {I2}."],
}

# ================================================================ test: PII
PII["test"]["email_thread"] = {
    "head": ["Subject: FW: contract renewal, next steps\nFrom: {P1}{X1} <{E1}>\nCc: {L}\n\nDear {H2},",
             "Subject: your laptop refresh\nFrom: IT Service Desk\nTo: {P1} <{E1}>\n\nHello {G1},"],
    "body": [
        "As promised, I am forwarding the redlines from legal. {P2} already signed the cover page, so only the "
        "annex is still open. Please have a look before our call.",
        "> -----Original message-----\n> From: {P3}\n> Sent: {D}\n> I can't join on Tuesday, could {G1} present "
        "the numbers instead?\n\nI am happy to present. {G3}, I will send you the slides afterwards.",
        "Your new device is ready for pickup. Bring your badge; if someone else picks it up for you, they need a "
        "note signed by you. {H1}, we will also wipe the old disk in front of you.",
        "If anything is urgent, my mobile is {T}. {S3} team can also help while I am travelling.",
        "I spoke to {P4} about the invoice. {G4} says the purchase order was raised against the wrong cost "
        "centre and will re-issue it.",
    ],
    "tail": ["Kind regards\n{P1}\nDirect: {T}\nThis e-mail may contain confidential information.",
             "Thanks,\n{I1}"],
}
PII["test"]["minutes"] = {
    "head": ["MINUTES - Steering committee, {D}\nPresent: {L}\nApologies: {P1}\nMinute-taker: {P2}",
             "Retro notes for sprint {N}\nFacilitator: {P1}\nParticipants: {L}"],
    "body": [
        "Budget. {H3} reported that spend is on track. The only overrun is the translation contract, which "
        "{G1} will renegotiate.",
        "Hiring. Two offers are out. {P4} accepted in principle and starts on {D}; {G4} still needs a visa "
        "letter from {S2} office.",
        "What went badly: the release slipped by two days because the staging database ran out of disk. "
        "{I3} spotted it late on Friday.",
        "Risks. The supplier in the north has not confirmed delivery. {H1} will escalate if there is no answer "
        "by {D}.",
    ],
    "tail": ["ACTIONS\n- AP: {G3} to circulate the revised budget.\n- AP: {I1} to chase the supplier.\n"
             "Next meeting: {D}.",
             "Action items: {H2} to book the room for the next review; {G1} to update the board."],
}
PII["test"]["postmortem"] = {
    "head": ["Incident {TK} - partial outage of the login service\nIncident commander: {P1}\nScribe: {P2}"],
    "body": [
        "Timeline\n- 02:47 alert fired for elevated 5xx on the edge\n- 02:51 {G1} acknowledged the page\n"
        "- 03:05 {P3} identified {IP4} as the only unhealthy backend\n- 03:26 node drained, traffic recovered",
        "Impact. About a fifth of sign-ins failed for 39 minutes. No data was lost. {H3} confirmed that the "
        "audit log is complete.",
        "Contributing factors. The health check only tested the TCP port, not the application. {I2} had proposed "
        "a deeper check months ago.",
        "Customer communication. {S1} draft for the status page was approved by {P4} at 03:40.",
    ],
    "tail": ["Owner of follow-ups: {G1}. Comments in the review doc, or by mail to {E1}."],
}
PII["test"]["hr_case"] = {
    "head": ["Case file {TK} (HR, restricted)\nSubject: {P1}\nManager: {P2}\nHR partner: {P3}"],
    "body": [
        "Background. {G1} asked for a flexible schedule after a family move. {H2} supports the request as long "
        "as core hours are kept.",
        "Documents received: signed form, proof of address, and the US social security number {SSN} for the "
        "benefits change.",
        "Meeting on {D}. Present: {G1}, {I2}, {G3}. {S1} concerns about the travel load were noted. A "
        "follow-up was agreed.",
        "Payroll. Salary is to be paid into {IBAN} from next month. Confirmation was sent to {E1}.",
    ],
    "tail": ["Status: open. Next step with {H3}."],
}
PII["test"]["ticket"] = {
    "head": ["[{TK}] Refund not received\nOpened by: {P1} via web form\nEmail: {E1}\nPhone: {T}"],
    "body": [
        "2024 history:\n* agent {P2}: asked for the order number and the last four digits of the card\n"
        "* customer: provided the full card number {CARD} despite the warning in the form",
        "Note from {G2}: the refund was issued to the original card but bounced. {H1} will receive a bank "
        "transfer instead.",
        "The customer's IP at the time of the order was {IP4}; the fraud tool flagged a mismatch with the billing "
        "country. {I2} overrode it after a call with {G1}.",
        "Escalated to {P3}. {G3} confirmed the payment partner can send the money within five working days.",
    ],
    "tail": ["Last update by {G2}: waiting for customer. Auto-close in 7 days."],
}
PII["test"]["chat"] = {
    "head": ["Teams chat export, channel 'release-train', {D}"],
    "body": [
        "{P1} 10:02\nis the canary still on {IP6}?\n{P2} 10:03\nyes, {G1}. i'll move it after lunch",
        "{P3} 10:11\nheads-up: {H1} wants the changelog before the go/no-go\n{G2} 10:12\nok, {I3} can you take "
        "that?\n{G3} 10:12\nsure",
        "{G1} 10:20\nbtw the old jump host {IPB4} is still in the inventory, can we drop it?\n{G2} 10:21\nnot yet, "
        "{S3} migration is using it",
    ],
    "tail": ["{G3} 10:47\ngo from me 🚀\n{G1} 10:48\nthanks everyone"],
}
PII["test"]["contract"] = {
    "head": ["SERVICES AGREEMENT - EXCERPT\nThis agreement is made on {D} between {CO} (the \"Client\") and "
             "{P1}{X1}, an independent contractor (the \"Consultant\")."],
    "body": [
        "2. Fees. The Client pays the Consultant monthly in arrears to the account {IBAN}. Invoices are sent to "
        "{E2}.",
        "5. Notices. Notices to the Consultant go to {E1} or by phone to {T}. Notices to the Client go to {P2}, "
        "Head of Procurement.",
        "7. Key personnel. The Consultant will personally perform the services. {H1} may not subcontract without "
        "written consent from {I2}.",
    ],
    "tail": ["Signed for the Client: {P2}\nSigned by the Consultant: {P1}"],
}
PII["test"]["onboarding"] = {
    "head": ["Onboarding checklist - new starter: {P1}\nStart date: {D}\nBuddy: {P2}"],
    "body": [
        "- [x] Laptop ordered ({TK})\n- [x] Account created: {E1}\n- [ ] Badge photo (ask {G2})\n"
        "- [ ] Intro with {P3}",
        "Week one. {G1} shadows {S2} team, then meets {H3} for the security training. The VPN profile is issued "
        "for {IP4}.",
        "Payroll form. Needs the SSN ({SSN}) and a bank account; {I1} brought both on the first day.",
    ],
    "tail": ["Checklist owner: {H2}. Questions: {T2}."],
}
PII["test"]["csv_report"] = {
    "head": ["Weekly on-call report ({D})\nThe rotation below was exported from the scheduler; {P1} reviewed it."],
    "body": [
        "name,phone,shift\n{P2},{T},Mon-Wed\n{P3},{T2},Thu-Sun",
        "Observations. {G2} handled nine pages, most of them from the disk alert on {IP4}. {H3} had a quiet week.",
        "Payments to on-call staff go out with the next payroll. {S1} team will check the hours against the "
        "log.",
    ],
    "tail": ["Prepared by {I1}. Next report: {D}."],
}
PII["test"]["wiki"] = {
    "head": ["== Team page: Data Engineering ==\nLead: {P1}{X1}. Deputy: {P2}."],
    "body": [
        "=== Who to ask ===\n* Pipelines: {P3}\n* Warehouse access: {G2}\n* Anything else: {H1}",
        "=== History ===\nThe team was started by {P4} in 2019. {G4} left for a start-up and {I1} took over.",
        "=== Contact ===\nShared mailbox and pager for urgent issues: {T}. Personal contact for the lead: {E1}.",
    ],
    "tail": ["Last edited by {G2} on {D}."],
}

# ================================================================ more pieces (structured values)
PII["tune"]["vendor_form"] = {
    "head": ["Supplier onboarding form, received {D}\nContact person: {P1}{X1}\nE-mail: {E1}\nTelephone: {T}"],
    "body": [
        "Bank details for payments: {IBAN}. The form was signed by {P2} as the authorised signatory.",
        "Sole traders in the US give a social security number instead of a company number. {G1} entered {SSN} "
        "in that field.",
        "Our buyer, {P3}, checked the details against the invoice. {G3} noticed that the phone number on the "
        "invoice is {T2}, not the one above.",
        "Portal access is restricted to the supplier's fixed address {IP4}. {H1} asked for a second address for "
        "the back-up office.",
    ],
    "tail": ["Approved by {I3} on {D}."],
}
PII["tune"]["csv_inline"] = {
    "head": ["Hi all, below is the export {P1} asked for. Please do not forward it outside the team."],
    "body": [
        "employee,email,phone\n{P2},{E2},{T}\n{P3},{E3},{T2}",
        "Two rows were fixed by hand: {S2} e-mail had a typo and {G3} had changed teams.",
        "The corporate card of {G2} ({CARD}) still shows the old cost centre. {H1} will update it.",
        "If the numbers look off, ping me. I pulled the data from the HR system at 08:00.",
    ],
    "tail": ["Cheers, {G1}"],
}
PII["tune"]["ticket"]["body"] += [
    "Internal note: the requester read out the SSN {SSN} to confirm identity. Do not copy it into the ticket "
    "again; {G2} has masked it in the call recording.",
    "Second card on the account: {CARD}. It belongs to {P3}, who is listed as an authorised user.",
]
PII["tune"]["hr_case"]["body"] += [
    "Relocation allowance paid by card {CARD}; the receipts were checked by {P3}. Nothing was missing.",
]
PII["test"]["ticket"]["body"] += [
    "Identity check passed: caller gave date of birth and SSN {SSN}. {H1} was told that agents never ask for "
    "the full number by e-mail.",
    "Second attempt from the customer's other card, {CARD}, was declined by the issuer. {G1} will call the bank.",
]
PII["test"]["hr_case"]["body"] += [
    "Reimbursement of the course fee to {IBAN}. {P4} from finance asked for the receipt in PDF.",
    "The employee used the company card {CARD} for a personal purchase by mistake. {G1} repaid it the same week.",
]
PII["test"]["travel"] = {
    "head": ["Your itinerary ({TK})\nPassenger: {P1}\nPassenger: {P2}\nContact: {E1}, {T}"],
    "body": [
        "Day 1: train to the airport, flight at 07:40. {G1} and {G2} sit together in row 14.",
        "Payment: card {CARD}, charged in two parts. The second charge appears after the trip.",
        "Visa. {H2} needs an invitation letter; our host, {P3}, will send it to {E2}.",
        "Wi-Fi at the hotel is whitelisted for the laptop with address {IP4}; {S1} phone will need to log in "
        "separately.",
    ],
    "tail": ["Have a good trip! Travel desk ({I3})"],
}
PII["test"]["expense"] = {
    "head": ["EXPENSE CLAIM\nName: {P1}\nEmployee ID: {N}\nCost centre approver: {P2}"],
    "body": [
        "Item | Amount\n--- | ---\nConference ticket | 690.00\nHotel, 3 nights | 540.00\nLunch with {P3} | 61.20",
        "Paid with the personal card {CARD}; please reimburse to {IBAN}.",
        "{H2} asked why the hotel was above the cap. {G1} answered that the conference hotel was the only one "
        "with rooms left.",
        "US tax residents must attach the W-9, which shows the SSN ({SSN}). {I1} attached it.",
    ],
    "tail": ["Approved: {G2}, {D}."],
}

# ================================================================ tables and lists (long, few sentences)
PII["tune"]["minutes"]["body"].insert(1,
    "| Owner | Item | Due |\n|---|---|---|\n| {P2} | storage quote | {D} |\n| {P3} | alert tuning | {D} |\n"
    "| {P4} | access review for {IP4} | {D} |")
PII["tune"]["email_thread"]["body"].insert(2,
    "Visitor list as it stands:\n- {P3}, {E3}, mobile {T}\n- {P4}, {E4}, mobile {T2}\n- {L}, no badge needed")
PII["tune"]["expense"]["body"].insert(1,
    "Per-diem table:\nday;city;person;amount\n1;Lisbon;{P1};45.00\n2;Porto;{P1};45.00\n2;Porto;{P4};45.00")
PII["tune"]["chat"]["body"].insert(2,
    "[09:35] {P4}: pasting the host list from the inventory:\n    {IP4}  build-07  owner {G4}\n"
    "    {IP6}  build-08  owner {G4}")
PII["test"]["minutes"]["body"].insert(2,
    "Decisions log\n| # | Decision | Proposed by | Seconded |\n|---|---|---|---|\n| 1 | freeze hiring | {P3} | {P4} |\n"
    "| 2 | move the offsite | {P2} | {G3} |")
PII["test"]["onboarding"]["body"].insert(1,
    "Equipment issued\n```\nitem        serial      assigned_to\nlaptop      {TK}    {P1}\nphone       {N}     {P1}\n```")
PII["test"]["ticket"]["body"].insert(0,
    "Contact history\n{D} 09:12  inbound call from {T}\n{D} 09:40  e-mail to {E1}\n{D} 16:03  callback by {P2}")
PII["test"]["wiki"]["body"].insert(1,
    "=== Rota ===\n{| class=\"wikitable\"\n! Week !! Primary !! Secondary\n|-\n| 1 || {P3} || {P4}\n|-\n| 2 || {G4} || {I2}\n|}")
PII["test"]["email_thread"]["body"].insert(3,
    "Distribution list (please check):\n  {P3} <{E3}>\n  {P4} <{E4}>\n  {L}")
