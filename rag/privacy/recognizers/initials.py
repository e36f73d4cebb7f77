"""PERSON for initials standing for a person: "Closed by A.K.;", "AP: D. B. to read the runbook", "Travel desk, RN."

Meeting minutes, tickets and sign-offs often name a colleague by initials
alone. Initials carry little on their own, but with the person they point to
in the same payload they identify someone, so they are masked when the words
around them say person:

* two or three dotted initials ("A.K.", "N. M.", "Á.S.", "Α.Ζ."), any script
  with capitals, after a person cue (:data:`_CUE_BEFORE`: "by", "Owner:",
  "AP:", "cc", "so", "per"...; a list header such as "Present:"; a chat
  log's timestamp and a colon after them; a sign-off comma or dash with the
  line ending after them) or before a verb of a person, a possessive or
  another pair of initials ("A.O. will shadow", "J.P.'s laptop", "A.K. and
  M.S. met"): 0.7;
* two or three capitals without dots ("RN", "CB"), only after a sign-off
  comma or dash that ends its line, after "by"/"Owner:"/"AP:", in a list
  after a header ("Attendees: JD, MK"), or as a chat speaker: 0.65.

Never: abbreviations that are no person (:data:`_NOT_DOTTED`: "U.S.",
"a.m.", "P.S.", "N.B."; :data:`_NOT_INITIALS`, for capitals without dots:
departments, roles and office words such as "IT", "HR", "QA", "CFO", "TBD") and initials inside a longer capitalised name
("J. R. R. Tolkien" is the name recognizers').
"""
from __future__ import annotations

import regex

from rag.privacy.recognizers.base import BaseRecognizer, clause_before
from rag.privacy.recognizers.cues import chat_speaker, list_cue_before

_DOTTED = regex.compile(r"(?<![\p{L}\p{M}.])\p{Lu}\p{M}*\.(?:\s?\p{Lu}\p{M}*\.){1,2}(?![\p{L}\p{M}]|\s?\p{Lu}\p{M}*\.)")
_BARE = regex.compile(r"(?<![\p{L}\p{M}\p{N}._-])\p{Lu}{2,3}(?![\p{L}\p{M}\p{N}_-])")
_CUE_BEFORE = regex.compile(
    r"(?:\b(?:by|owner|assignee|approver|reviewer|reporter|cc|attn|from|ask|ping|ap|action|actions|contact|"
    r"with|so|and|or|per|thanks|cheers|regards|initials|signed|sign-off|owner\s+is)\s*:?\s*"
    r"|(?:^|\n)\s*[-*•]?\s*(?:ap|action|todo|owner)\s*:\s*)$",
    regex.I,
)
_STRICT_BEFORE = regex.compile(r"(?:\b(?:by|owner|assignee|approver|ap|action|cc|attn)\s*:?\s*)$", regex.I)
_SIGNOFF_BEFORE = regex.compile(r"\S\s*(?:,|\s[-–—])\s*$")
_LINE_END_AFTER = regex.compile(r"^[.!]?\s*(?:\n|$)")
_VERB_AFTER = regex.compile(
    r"^(?:['’]s\b|\s+(?:will|to|needs?|has|had|is|was|can|could|should|must|would|asked|said|agreed|confirmed|"
    r"approved|signed|sent|owns|leads|takes|took|joined|left|met|shadows?|reviews?|reviewed|and\s+I)\b"
    # another pair of initials joined to these: "A.K. and M.S. met the supplier"
    r"|\s*(?:,|and|&)\s+\p{Lu}\p{M}*\.\s?\p{Lu}\p{M}*\.)",
    regex.I,
)
# abbreviations written with dots ("U.S.", "a.m.", "P.S.", "N.B.", "Q.E.D.")
_NOT_DOTTED = frozenset("US UK EU UN UAE USA DC LA NY AM PM PS NB QED RSVP AKA BA BS BSC MA MSC MD PHD DDS ID".split())
# abbreviations and organisational acronyms that stand where initials would
_NOT_INITIALS = frozenset("""
US UK EU UN UAE USA USSR DC LA NY NYC SF AM PM PS NB QED RSVP ETA EOD EOW COB TBD TBA TBC NA FYI ASAP AKA
IT HR QA QC PM PO PR BD UX UI OK AI ML DB SRE OPS CEO CFO CTO COO CIO CISO CPO VP SVP EVP GM MD HQ ID CV
SLA KPI ROI API SDK CI CD UAT SME EA PA AP AR GL VAT GST IBAN BIC SSN PIN OTP MFA SSO VPN LAN DNS SSH TLS
IP OS PC CPU GPU RAM SSD USB PDF CSV XML JSON SQL AWS GCP HTML CSS JS TS Q1 Q2 Q3 Q4 H1 H2 FY YTD
ACK NACK WIP FAQ RFC RFP RFQ NDA SOW MSA LOI PTO OOO WFH IRL TL DR TLDR BTW IMO
""".split())


class InitialsRecognizer(BaseRecognizer):
    """Initials standing for a person, scored from the words around them (see the module docstring)."""

    ENTITY = "PERSON"

    def spans(self, text, nlp_artifacts):
        """``(start, end, score)`` for each run of initials the words around call a person."""
        for m in _DOTTED.finditer(text):
            start, end = m.start(), m.end()
            if self._abbreviation(m.group()) or self._in_name(text, end):
                continue
            before = clause_before(text, start, 40)
            after = text[end:end + 30]
            if (_CUE_BEFORE.search(before) or chat_speaker(text, start, end) or _VERB_AFTER.match(after)
                    or list_cue_before(text, start)
                    or (_SIGNOFF_BEFORE.search(text[max(0, start - 40):start]) and _LINE_END_AFTER.match(after))):
                yield start, end, 0.7
        for m in _BARE.finditer(text):
            start, end = m.start(), m.end()
            if m.group() in _NOT_INITIALS:
                continue
            before = text[max(0, start - 40):start]
            after = text[end:end + 30]
            if (_STRICT_BEFORE.search(before) or chat_speaker(text, start, end) or list_cue_before(text, start)
                    or (_SIGNOFF_BEFORE.search(before) and _LINE_END_AFTER.match(after))):
                yield start, end, 0.65

    @staticmethod
    def _abbreviation(initials: str) -> bool:
        return regex.sub(r"[\s.]", "", initials).upper() in _NOT_DOTTED

    @staticmethod
    def _in_name(text: str, end: int) -> bool:
        """A capitalised word follows: "J. R. R. Tolkien", "A. K. Sharma" (the name recognizers' to judge)."""
        return bool(regex.match(r"\s?\p{Lu}\p{Ll}", text[end:end + 3]))
