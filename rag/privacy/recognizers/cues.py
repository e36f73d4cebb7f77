"""Words around a candidate name that say "this is a person": honorifics, roles, greetings, verbs.

Shared by :mod:`rag.privacy.recognizers.person` (runs of two or more name
words) and :mod:`rag.privacy.recognizers.given` (a name word on its own). Every
pattern is matched against the clause *before* a candidate (anchored at its
end, ``$``) or the text *after* it (anchored at its start, ``^``).

Honorifics come from how business mail addresses people in the languages of a
multinational workforce: English, German, Dutch, Scandinavian, Finnish,
French, Spanish, Portuguese, Italian, Polish, Czech, Turkish, Thai,
Indonesian/Malay, Swahili, Hindi/Urdu, Arabic, Vietnamese, plus the Japanese
and Korean suffixes written after a romanised name ("Fujiwara-san").
"""
from __future__ import annotations

import regex

# months and weekdays: capitalised, and listed as given names ("May", "June", "April"), but never a name alone
CALENDAR_WORDS = frozenset("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""".split())
# lower-case words inside a name: "van der Berg", "dos Santos", "bin Rashid", "Ní Bhriain"
NAME_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das", "le", "la", "bin", "ibn", "al",
    "el", "ter", "ten", "y", "zu", "ó", "ní", "nic", "uí", "ua", "binti", "bint",
    # Irish "O" and "Mac" written without the apostrophe or joined word: "Tara O Domhnallain"
    "o", "mac",
})
# a capitalised word with at least one lower-case letter: "Ana", "O'Neill", "Ayọ̀délé" (not "NASA", not "A.")
NAME_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}'’]*\p{Ll}[\p{L}\p{M}'’]*$")
# Prefixes written before a name ("Dra. Beatriz", "dr inż.", "Khun Nattawut", "anh Huy"). Case as written;
# the short ones that are also words or abbreviations ("M", "Fr", "Bi") only with their dot.
_HONORIFICS = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|dr|Prof|prof|Profa|Sir|Dame|Lady|Lord|Herr|herr|Frau|frau|Fru|Mme|Mlle|Mmes|"
    r"Monsieur|Madame|Mademoiselle|Sr|Señor|Señora|Señorita|Doña|Senhor|Senhora|Signor|Signora|Dipl\.-Ing|"
    r"Univ\.-Prof|Meneer|Mevrouw|Pan|pan|Pani|pani|Panna|inż|Bayan|Sayın|Khun|khun|Pak|Bapak|bapak|Ibu|ibu|"
    r"Mwalimu|Shri|Smt|Kumari|Sheikh|Shaikh|Sayyid|Hajji|Haji|Ustadh|Ustaz|anh|chị|ông|bà|Anh|Chị|Ông|Bà|"
    r"Herra|Rouva|Neiti|Dott\.ssa|Sig\.ra|Mnumzane|Nkosikazi|Nkosazana|Mnr|Mev|Mej"
)
# Central European academic degrees written before the name ("Bc. Hošťák", "Mgr. Nováková", "MUDr. Svoboda")
_DOTTED_HONORIFICS = (r"M|Fr|Hr|Ir|Bi|Bw|Bu|Dott|Sig|Lic|Ing|Mag|Mtro|Mtra|Dhr|Mevr|Sra|Srta|Dra|Drs|"
                      r"Bc|BcA|Mgr|MgA|MUDr|MDDr|MVDr|JUDr|PhDr|RNDr|PharmDr|PaedDr|ThDr|ThLic|Doc|doc|DI|Dipl")
HONORIFIC = regex.compile(
    rf"(?:^|(?<=[\s(\[/,;:\"'“.\d]))(?:(?:{_HONORIFICS})\.?|(?:{_DOTTED_HONORIFICS})\.)\s*$"
)
# Suffixes written after a romanised name: "Fujiwara-san", "Chaudhary-ji", "Min-jun ssi".
HONORIFIC_SUFFIX = regex.compile(r"^(?:-|\s)(?:san|sama|kun|chan|sensei|senpai|ssi|nim|ji|sahab|sahib|bhai|"
                                 r"ben|bey|hanım|hanim|efendi)\b", regex.I)
_ROLES = (
    r"attention|attn|c/o|named|name\s+is|called|witness|claimant|defendant|plaintiff|employee|"
    r"contractor|customer|client|patient|traveller|traveler|passenger|guest|rep|representative|requester|"
    r"requestor|applicant|candidate|tenant|landlord|manager|colleague|co-?worker|teammate|signatory|director|"
    r"officer|approver|reviewer|assignee|sender|recipient|author|interviewer|interviewee|mentor|mentee|speaker|"
    r"organi[sz]er|new\s+hire|hire|intern|trainee|apprentice|consultant|engineer|analyst|coordinator|lead|"
    r"head|ceo|cfo|cto|coo|owner|holder|supplier|vendor|contact|member|student|user|driver|caller|victim|"
    r"suspect|(?:data\s+|test\s+)subject|interpreter|translator|auditor|accountant|lawyer|attorney|counsel|nurse|doctor|physician|"
    r"technician|courier|agent|broker|buyer|seller|partner|spouse|wife|husband|son|daughter|mother|father|"
    r"sister|brother|friend|buddy|neighbou?r|boss|supervisor|chair|secretary|assistant|receptionist|clerk|teacher|"
    r"tutor|coach|trainer|volunteer|staffer|founder|co-?founder|president|administrator|admin|developer|"
    r"designer|architect|scientist|researcher|specialist|adviser|advisor|inspector|investigator|sponsor|"
    r"delegate|deputy|successor|predecessor|backup|nominee|payee|beneficiary|guarantor|borrower|lender|"
    r"cardholder|policyholder|resident|occupant|visitor|attendee|participant|presenter|host|moderator|"
    r"facilitator|instructor|referee|reference|dear|hi|hello|hey|thanks|thank\s+you|cheers|regards|"
    r"(?:please\s+)?welcome(?:\s+(?:aboard|back|on\s+board))?|(?:emergency\s+)?contact\s+(?:for|of)|next\s+of\s+kin|congratulations|congrats|happy\s+birthday|good\s+catch|kudos\s+to|shout-?out\s+to|"
    r"well\s+done|great\s+job|nice\s+work|good\s+morning|good\s+afternoon|good\s+evening|"
    r"best|signed|cc|bcc|to:|from:|owner:|assignee:|reporter:|by:"
)
# form labels that name a person: "Approved: X", "Name: X", "Prepared by: X"
_LABELS = (
    r"approved|signed|signed\s+off|reviewed|requested|submitted|prepared|prepared\s+by|name|full\s+name|"
    r"first\s+name|given\s+name|surname|last\s+name|family\s+name|employee\s+name|attendee|speaker|presenter"
)
# up to four characters between: "manager, ", 'assignee": "' (a JSON or YAML field)
STRONG_CUE_BEFORE = regex.compile(rf"\b(?:(?:{_ROLES})\W{{0,4}}|(?:{_LABELS})\s*:\s*)$", regex.I)
WEAK_CUE_BEFORE = regex.compile(
    r"\b(?:for|from|by|to|is|was|about|ask|tell|email|emailed|call|called|met|meet|contact|belonging\s+to|"
    r"pretending\s+to\s+be|add|invite|ping|thank|escalated\s+to|assigned\s+to|referred\s+by|loop\s+in|"
    r"looping\s+in|looped\s+in|include|including|introduce|introducing|mention|mentioned|tag|tagged|on\s+behalf\s+of|"
    r"per|according\s+to|next\s+to|sits\s+with|sit\s+with)\W{0,3}$",
    regex.I,
)
LEADING_CUES = {"contact", "attention", "attn", "ask", "call", "email", "dear", "hi", "hello", "hey", "cc",
                "tell", "invite", "add", "thank", "thanks", "ping", "message", "notify", "remind", "reach", "mail",
                "text", "escalate", "fyi", "ps", "welcome", "congrats", "congratulations", "kudos", "morning",
                "evening", "bye", "goodbye", "cheers"}
# a list of people after its header: "Attendees: A, B and C", "Speakers: A / B"
LIST_CUE_BEFORE = regex.compile(
    r"\b(?:attendees|participants|speakers|panel|panelists|invitees|members|reviewers|approvers|owners|"
    r"interviewers|cc|bcc|to|from|team|signatories|shortlist|apologies|absent|present|vacation|leave|"
    r"on\s+call|rota|roster)\s*[:—–-]\s*(?:(?:[^.:!?\n]|(?<=\b\p{Lu})\.){0,80}(?:,|\band\b|/|&|\+|;|\d\.))?\s*$",
    regex.I,
)
_LIST_END = regex.compile(r"[.!?\n](?:\s|$)")


def list_cue_before(text: str, start: int) -> bool:
    """A list header stands before ``text[start:]`` in the same sentence, items between separated by commas,
    "and", slashes or semicolons: "Attendees: A, B", "cc: Biruta Zvirbulis; Rute Rudzīte" (an initial's dot
    ends no sentence: "Present: D.Cvetković and Ivo")."""
    left = text[max(0, start - 100):start]
    ends = list(_LIST_END.finditer(left))
    return bool(LIST_CUE_BEFORE.search(left[ends[-1].end():] if ends else left))
FUNCTION_POS = {"AUX", "VERB", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "ADV", "INTJ", "PART", "NUM"}
CUE_AFTER = regex.compile(
    r"^(?:['’]s?\b|\s*\(|,\s+(?:born|dob|age|aged|who|our|the|a|an|from|at|ssn|phone|tel|email)\b|"
    r"\s+(?:at|on|via)\s+[\w.+-]+@|"
    r"\s+(?:from|of|at)\s+(?:the|our|their)\b|"
    r"(?P<verb>\s+(?:said|says|reported|reports|asked|asks|called|calls|emailed|wrote|writes|lives|lived|works|worked|"
    r"is|was|has|had|keeps|kept|wants|wanted|needs|needed|signed|approved|requested|requests|joined|left|"
    r"sent|received|submitted|paid|booked|rejected|reviewed|confirmed|declined|starts|started|took|takes|"
    r"will|would|can|could|should|must|may|might|and\s+I|agreed|agrees|replied|replies|accepted|cancel+ed|"
    r"resigned|retired|moved|travels|travel+ed|owns|leads|led|manages|managed|covers|covered|"
    r"handles|handled|asked|called|thinks|thought|knows|knew|prefers|met|visited|attended|presented|"
    r"won't|can't|isn't|wasn't|doesn't|didn't|hasn't|hadn't|shall|does|did|are|were)\b))",
    regex.I,
)
# a sign-off on the line before ("Regards,\nUjunwa Ogbuehi"), a signature dash at the start of a line ("- Aksöğüt
# Fırat, Finance"), a chat handle ("<Daniil>", "[Daniil]") or a mention ("@Daniil"): the name that follows is the
# writer's or the addressee's
SIGNOFF_BEFORE = regex.compile(
    r"(?:\b(?:regards|thanks|thank\s+you|cheers|best|sincerely|yours|br)\s*[,!.]?\s*\n\s*|(?:^|\n|\s)[<\[@]|"
    r"(?:^|\n)\s*(?:-{1,2}|–|—|~)\s*|\bsent\s+from\s+my\s+[\w-]+(?:\s+[\w-]+)?\s*(?:-{1,2}|–|—|,|\n)\s*)$",
    regex.I,
)
# a chat log's timestamp at the start of a line, then the speaker and a colon: "[09:41] David: on it",
# "2026-03-02 14:05 Luz Milagros: deployed", "09:41 AM - Hanna: ok"
_CHAT_STAMP = regex.compile(
    r"(?:^|\n|[.!?][ \t]+)[ \t]*[\[(]?[ \t]*(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:[AaPp]\.?[Mm]\.?)?[ \t]*"
    r"[\])]?[ \t]*(?:[-–—|][ \t]*)?$"
)
_LINE_START = regex.compile(r"(?:^|\n)[ \t]*[-*•]?[ \t]*$")


_CHAT_LINE = regex.compile(
    r"(?m)^[ \t]*[\[(]?[ \t]*(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:[AaPp]\.?[Mm]\.?)?[ \t]*"
    r"[\])]?[ \t]*(?:[-–—|][ \t]*)?(?P<speaker>[^\W\d_][\w .'’-]{0,40}):\s"
)


def chat_speaker(text: str, start: int, end: int, *, stamped: bool = True) -> bool:
    """``text[start:end]`` speaks a chat line: a colon follows it and only a timestamp stands before it on its
    line ("[09:41] David: can someone..."), or with ``stamped=False`` nothing at all ("David: on it")."""
    if not regex.match(r"[ \t]*:(?:\s|$)", text[end:end + 3]):
        return False
    before = text[max(0, start - 40):start]
    return bool(_CHAT_STAMP.search(before) or (not stamped and _LINE_START.search(before)))


def chat_speakers(text: str) -> list[str]:
    """The speakers of the lines of ``text`` that read "<timestamp> <speaker>: ...", in order."""
    return [m["speaker"].strip() for m in _CHAT_LINE.finditer(text)]


# words that put a place after them: "left Palo Alto", "the plant in", "arrived at", "Lagos office",
# "Flights to", "Freight from Gdańsk to"
LOCATIVE_BEFORE = regex.compile(
    r"\b(?:in|at|near|across|outside|inside|around|into|towards?|through|via|left|leaving|leave|leaves|reached|"
    r"arrived|arrive|arrives|visit|visited|visiting|based|relocate|relocated|relocating|moving|moved|city|town|"
    r"region|province|state|county|district|office|site|plant|warehouse|depot|branch|campus|"
    r"welcome\s+to|(?:flights?|freight|shipments?|shipping|travel|trips?|routes?|relocation|deliver(?:y|ies)|trucks?|ferry|"
    r"ferries|trains?|buses|cargo|exports?|imports?)(?:\s+\w+){0,2}\s+(?:to|from))\W{0,3}$",
    regex.I,
)
# a signature after a spaced dash at the end of a line: "Thanks for the help - Terttu"
DASH_SIGNATURE_BEFORE = regex.compile(r"\S[ \t]+[-–—][ \t]*$")
LINE_END_AFTER = regex.compile(r"^[ \t]*[.!]?[ \t]*(?:\n|$)")
# verbs said of people rather than of software ("will cover", "has approved", "is on leave", "declined")
# ... and before it: "Escalated to Pitipat", "approved by Chausiki"
PERSON_VERB_BEFORE = regex.compile(
    r"\b(?:(?:escalated|assigned|reassigned|handed(?:\s+over)?|forward|forwarded|delegated|reported|reports|referred|"
    r"introduced|talked|spoke|spoken|speak|talk|replied|wrote|married|send|sent|give|gave|pass|passed|hand|"
    r"email|emailed|mail|mailed)\s+(?:it\s+|this\s+|them\s+)?to|on\s+behalf\s+of|"
    r"(?:sync|synced|meet|met|meeting|talk|talked|spoke|speak|chat|chatted|catch\s+up|caught\s+up|working|work|"
    r"pair|paired|call|check)\s+with|waiting\s+(?:on|for)|reminder\s+for|feedback\s+for|onboarding\s+for|"
    r"farewell\s+for|(?:returned|received|collected|picked\s+up|paid|booked|sent|handed\s+in)\s+by|"
    r"(?:approved|signed|reviewed|requested|raised|reported|submitted|owned|authored|countersigned|"
    r"interviewed|referred|nominated|hired|managed|led|written|drafted|prepared|compiled|taken|minutes|notes|"
    r"edited|translated|presented|organi[sz]ed|hosted|chaired)\s+by)[,!:]?\s+$",
    regex.I,
)
PERSON_VERB_AFTER = regex.compile(
    r"^\s+(?:will|would|can|could|has|had|is|was)?\s*(?:not\s+)?(?:cover|covers|covering|approve|approved|approves|"
    r"decline|declined|declines|join|joined|joins|sign|signed|signs|chair|chairs|chaired|attend|attended|"
    r"call|called|reply|replied|confirm|confirmed|review|reviewed|be\s+out|be\s+away|on\s+leave|out\s+of\s+office|"
    r"resign|resigned|retire|retired|travel|travels|travelled|traveled|lead|leads|led|take\s+over|takes\s+over|"
    r"took\s+over|manage|manages|managed|own|owns|owned|said|says|asked|asks|thinks|thought|knows|knew|wants|"
    r"agreed|agrees|left\s+the|joined\s+the|is\s+driving|is\s+leading|is\s+handling|is\s+covering|is\s+out|"
    r"is\s+off|is\s+away|is\s+on\s+(?:sick|parental|annual|maternity|paternity)?\s*leave|and\s+I|&\s+I)\b"
    r"|^,\s+(?:can|could|would|will|please|pls|do|did|are|have)\s+you\b"
    # a department or team in brackets: "Suvakit (HR) will send the contract", "Jordan (Finance)"
    r"|^\s*\((?:hr|it|finance|legal|sales|marketing|support|accounting|payroll|engineering|ops|operations|security|"
    r"facilities|compliance|logistics|procurement|purchasing|admin|billing|research|design|product|qa|"
    r"human\s+resources|customer\s+service)\)"
    # a possessive that ends the clause: "Desk 14 is now Muhammadyasin's."
    r"|^['’]s?(?=\s*(?:[.!?;]|$))"
    r"|^['’]s\s+(?:laptop|desk|team|manager|account|badge|e-?mail|phone|mobile|car|office|contract|salary|leave|"
    r"birthday|wife|husband|son|daughter|access|password|calendar|schedule|flight|visa|passport|address|payslip|"
    r"timesheet|expenses?|doctor|appointment)\b"
    r"|^\s+(?:from|in|at|of)\s+(?:the\s+)?(?:procurement|finance|hr|human\s+resources|legal|it|sales|marketing|"
    r"support|accounting|payroll|engineering|operations|ops|security|facilities|compliance|logistics|purchasing|"
    r"admin|accounts|billing|customer\s+service|research|design|product|qa)\b",
    regex.I,
)
# the first of a list that ends in "and I": "Halima, Patrick and I will present" (a known given name only: not
# "Jira, Slack and I are all you need")
AND_I_LIST_AFTER = regex.compile(
    r"^,\s+(?:[\p{Lu}\p{Lo}][\p{L}\p{M}'’-]*,\s+){0,3}[\p{Lu}\p{Lo}][\p{L}\p{M}'’-]*,?\s+(?:and|&)\s+(?:I|me|myself)\b"
)
# moved onto a team or project: "Moving Pilar to the payroll project next week", "transferring Evalyne to the ops
# team" (the verb before and the team after, both)
MOVED_BEFORE = regex.compile(
    r"\b(?:mov(?:e|ed|es|ing)|transferr?(?:ed|ing)?|transfers?|reassign(?:ed|ing|s)?|second(?:ed|ing)?|"
    r"rotat(?:e|ed|es|ing))\s+$",
    regex.I,
)
ONTO_TEAM_AFTER = regex.compile(
    r"^\s+(?:over\s+)?(?:to|onto|into)\s+(?:the\s+|our\s+|a\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:team|project|"
    r"squad|department|dept|group|unit|rota|roster|crew|shift|workstream|programme|program)\b",
    regex.I,
)
# news from someone: "Quick update from Francisca:", "a note from Pilar" (systems send updates too, so a known given
# name only: not "Update from Kubernetes")
NEWS_FROM_BEFORE = regex.compile(
    r"\b(?:update|message|note|reply|answer|e-?mail|call|request|feedback|word|news|thanks|apologies)\s+from\s+$",
    regex.I,
)
