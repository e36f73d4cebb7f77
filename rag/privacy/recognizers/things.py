"""Words around a capitalised word or run that make it a thing, not a person: projects, products, systems,
eponyms, organisations, buildings, events and places.

Shared by :mod:`rag.privacy.recognizers.given` (a name word alone) and
:mod:`rag.privacy.recognizers.person` (runs of name words), as the positive cues are in
:mod:`rag.privacy.recognizers.cues`. Patterns are matched against the clause *before* a
candidate (anchored at its end, ``$``) or the text *after* it (anchored at its start, ``^``); the
word sets are matched against a run's lower-cased words. None was written from the dev or held-out
look-alikes: they come from how software, organisations and places are talked about.
"""
from __future__ import annotations

import regex

# a determiner or possessive before the word makes it a thing: "the Aurora rollout", "our Jasper dashboard"
THING_BEFORE = regex.compile(r"\b(?:the|a|an|our|your|their|its|this|these|those|my|every|each|any)\s+$", regex.I)
# words that name a project, product, vehicle or storm before its name: "Project Aurora", "Hurricane Katrina"
PROJECT_BEFORE = regex.compile(
    r"\b(?:project|operation|codename|code\s+name|program|programme|initiative|release|sprint|version|model|"
    r"product|brand|plan|campaign|squad|channel|server|cluster|host|node|hurricane|storm|typhoon|cyclone|"
    r"tropical|ship|vessel|mv|ss|hms|hotel|restaurant|package|library|module|tool|app|bot|feature|milestone|"
    r"epic|phase|stage|tier|edition|series|line|range|collection|room|building|wing)\W{0,2}$",
    regex.I,
)
# a name with a possessive and one of these after it is an eponym: "Dijkstra's algorithm", "Hodgkin's disease"
EPONYM_AFTER = regex.compile(
    r"^['’]s?\s+(?:algorithm|theorem|law|lemma|conjecture|principle|method|rule|constant|equation|formula|"
    r"paradox|distribution|test|syndrome|disease|razor|number|triangle|curve|transform|identity|inequality|"
    r"hypothesis|effect|model|scale|index|criterion|criteria|sign|reflex|procedure|maneuver|manoeuvre)\b",
    regex.I,
)
# a model or series number, then a word about a product or a rollout: "Atlas 2 maintenance window", "Falcon 9
# launch" (not "Ivan 3 days ago": only the words below count)
NUMBERED_THING_AFTER = regex.compile(
    r"^\s+\d{1,3}\s+(?:maintenance|window|release|rollout|roll-out|launch|migration|upgrade|deployment|update|"
    r"outage|cluster|sprint|roadmap|beta|alpha|series|model|edition|build|firmware|servers?|rack|nodes?|pilot|"
    r"programme|program|project|phase|module|license|licence|subscription|plan|tier|release|ga)\b",
    regex.I,
)
# a short version after a word: "Jupyter 1.9" (not an amount: "Maria 1.5%", "Ana 2.50 EUR")
SHORT_VERSION_AFTER = regex.compile(r"^\s+v?\d+\.\d+(?:\.\d+)*(?![\d.,]*\s*(?:%|[$€£¥]|usd|eur|gbp))", regex.I)
# an apposition or predicate that calls the word a thing: "Penny, our expense bot,", "Ada is the support chatbot"
THINGS = (
    r"bot|chatbot|tool|system|app|application|service|scheduler|platform|model|engine|server|cluster|pipeline|"
    r"dashboard|library|framework|database|environment|product|program|programme|robot|printer|kiosk|device|"
    r"plugin|integration|workflow"
)
THING_APPOSITION = regex.compile(
    rf"^(?:,\s+(?:our|the|a|an|your|their)\s+(?:[\w-]+\s+){{0,3}}?(?:{THINGS})s?\s*[,)]|"
    rf"\s+(?:is|was)\s+(?:our|the|a|an|your|their)\s+(?:[\w-]+\s+){{0,3}}?(?:{THINGS})s?\b)",
    regex.I,
)
# "in" and its kin right before a word put a place there: "the site in Salatiga"
IN_BEFORE = regex.compile(r"\b(?:in|near|across|throughout|within|based\s+in|located\s+in)\s+$", regex.I)
# what software is migrated, ported or upgraded to is a system: "migrated the reporting jobs to Stella"
MIGRATED_TO_BEFORE = regex.compile(
    r"\b(?:migrat(?:e|ed|es|ing)|port(?:ed|ing)?|upgrad(?:e|ed|ing)|re-?platform(?:ed|ing)?)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:to|onto|into)\s+$",
    regex.I,
)
# words that put a run among organisations, streets, rooms, titles and departments wherever they stand in it
ORG_WORDS = {
    "inc", "inc.", "ltd", "ltd.", "llc", "gmbh", "ag", "plc", "corp", "corp.", "corporation", "company", "co.",
    "bank", "group", "holdings", "partners", "university", "college", "school", "hospital", "clinic", "institute",
    "department", "dept", "ministry", "agency", "office", "council", "committee", "board", "team", "teams",
    "services", "solutions", "systems", "technologies", "labs", "cloud", "airlines", "airways", "airport",
    "hotel", "hotels", "station", "center", "centre", "foundation", "association", "union", "court", "street",
    "road", "avenue", "suite", "server", "portal", "platform", "conference", "room", "building", "tower",
    # titles: "the Chief Risk Officer", "Vice President Sales"
    "chief", "officer", "president", "vice", "director", "executive", "treasurer", "secretary", "controller",
    # departments
    "resources", "facilities", "procurement", "legal", "finance", "accounting", "payroll", "security",
    "operations", "marketing", "support", "success", "engineering", "compliance", "helpdesk", "desk",
}
# place words that end multi-word names of buildings: "Grace Hopper Hall"
PLACE_WORDS = {"hall", "house", "park", "museum", "library", "arena", "stadium", "theatre", "theater", "gallery",
               "bridge", "garden", "gardens", "square", "plaza", "lake", "river", "mountain", "island", "valley"}
# event words that end a name given to a day or a prize: "Ada Lovelace Day", "Martin Luther King Day"
EVENT_WORDS = {"day", "week", "month", "festival", "awards", "award", "lecture", "prize", "memorial", "fund",
               "scholarship", "fellowship", "cup", "trophy", "marathon"}
# first words of place names: "San Jose", "Mount Pleasant", "Fort Worth", "St. Helens"
PLACE_FIRST = {"san", "santa", "santo", "são", "saint", "st", "ste", "sainte", "mount", "mt", "fort", "ft", "port",
               "cape", "lake", "loch", "isle", "kota", "kabupaten"}
# first words of a project's or product's name, and compounds like "Sign-On", "Check-In", "Roll-Out"
THING_FIRST = {"project", "operation", "codename", "program", "programme", "initiative", "release", "sprint",
               "version", "model", "product", "plan", "campaign", "hurricane", "storm", "typhoon", "cyclone"}
# a product line's tier after its name: "Hana Pro", "Orion Plus", "Atlas Lite"
PRODUCT_TIERS = {"pro", "plus", "lite", "ultra", "mini", "max", "premium", "enterprise", "standard", "basic",
                 "express", "cloud", "edge", "air", "studio", "suite", "x", "xl", "se"}
# the adverb of a phrasal compound after a hyphen: "Single Sign-On", "Opt-Out"
PARTICLE_ADVERBS = {"on", "in", "out", "up", "off", "over", "down", "back", "through"}
