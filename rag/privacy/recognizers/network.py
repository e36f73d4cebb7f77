"""IP_ADDRESS: IPv4 and IPv6 addresses, checked with :mod:`ipaddress`, told apart from versions, masks and serials.

Split from :mod:`~rag.privacy.recognizers.structured`, whose sentence helpers it uses.
"""
from __future__ import annotations

import ipaddress

import regex

from rag.privacy.recognizers.base import BaseRecognizer, clause_before
from rag.privacy.recognizers.structured import sentence_around, sentence_bounds

def ipv4_no_host(address: ipaddress.IPv4Address) -> bool:
    """A network mask or a loopback address rather than one host's address: contiguous ones then zeros
    starting at 255 (``255.255.255.0``, ``255.255.252.0``; RFC 950, RFC 4632), a wildcard mask
    (``0.0.0.255``) or ``0.0.0.0``, or 127.0.0.0/8 (every machine's own loopback, RFC 1122 3.2.1.3).
    None of them tells one machine, or one person, from another.
    """
    if address.is_loopback:
        return True
    bits = int(address)
    inverse = bits ^ 0xFFFFFFFF
    ones_then_zeros = bits >> 24 == 0xFF and (inverse + 1) & inverse == 0
    zeros_then_ones = bits >> 24 == 0 and (bits + 1) & bits == 0  # wildcard masks; 0.0.0.0
    return ones_then_zeros or zeros_then_ones


_VERSION_HEADER = regex.compile(r"\s*(?:\w+\s+)?(?:versions?|releases?|builds?|firmware|ver\.?|rev(?:ision)?)\s*",
                                 regex.I)


def version_column(text: str, start: int) -> bool:
    """``text[start:]`` opens a cell of a pipe table (Markdown or plain) whose header cell in the same column names
    versions ("| Host role | Version | Digest |"): the header is the first row of the block of "|" lines."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if line.count("|") < 2:
        return False
    column = text[line_start:start].count("|")
    block_start = line_start
    while block_start > 0:
        previous = text.rfind("\n", 0, block_start - 1) + 1
        if text[previous:block_start - 1].count("|") < 2:
            break
        block_start = previous
    header = text[block_start:text.find("\n", block_start) if "\n" in text[block_start:] else len(text)]
    cells = header.split("|")
    return header != line and column < len(cells) and bool(_VERSION_HEADER.fullmatch(cells[column]))


def version_shaped(address: ipaddress.IPv4Address) -> bool:
    """A dotted quad that reads like a version number: every part below 64 and the first below 32
    ("8.1.0.2", "2.4.1.17", "11.7.10.8"), and not private space (RFC 1918: "10.0.4.17" is a host). Four
    random octets look like this once in 512 addresses ((32/256) × (64/256)³).
    """
    octets = address.packed
    return octets[0] < 32 and max(octets) < 64 and not address.is_private


class PerimeterIpRecognizer(BaseRecognizer):
    """IPv4 (RFC 791 dotted quad) and IPv6 (RFC 4291 text forms), checked with :mod:`ipaddress`.

    A valid dotted quad is an address (0.9) unless it reads as something else (0.2):

    * named: right after "version", "build", "firmware", "driver", "OID", "section"...
      or right before "hotfix", "release", "build"... (not after a machine,
      a person or a network word: "her laptop 10.2.3.4 build"); or after
      wording about a release ("release notes for", "the changelog of",
      "upgrade the agent to", "bump ... to"), whatever its octets, unless a
      network, machine or person word, or a name spaCy sees, is in its
      sentence ("upgrade the router to 52.14.3.9" is masked);
    * weakly version-like, and version-shaped (:func:`version_shaped`): software words in its clause ("upgrade the agent
      to 9.3.7.9", "minimum supported client: 8.1.0.2", "regression started in
      2.4.1.17"; after a bare "on", only software words after the number),
      a product's name right before it (a capitalised word spaCy tags as a
      proper noun and that names no machine: "Jasper 2.1.4.7 is the LTS
      line", not "Laptop 10.2.3.4"), or a sibling quad in the sentence with
      the same small major.minor ("8.1.0.2 on desktop, 8.1.0.5 on mobile").
      Any network word in its clause or "from"/"at"/"via" just before it
      (unless a sibling quad and a software word say upgrade), any word about
      a connection, a person using it or (without a product name) a machine
      anywhere in the sentence, or a PERSON that spaCy sees there, vetoes
      this weak evidence;
    * not one host's address: a CIDR block of private or reserved space
      (``10.0.0.0/8``; a public block such as ``202.151.124.0/23`` is masked),
      a network or wildcard mask (``255.255.255.0``, ``0.0.0.255``,
      ``0.0.0.0``) or loopback.

    Colon-hex strings whose groups are all exactly two characters are
    certificate serials, fingerprints or MAC addresses, not IPv6 addresses.
    """

    ENTITY = "IP_ADDRESS"
    _V4 = regex.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
    _V6 = regex.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])")
    # the number is named as a version, an SNMP object identifier or a numbered clause of a document
    _VERSION = regex.compile(
        r"\b(?:(?:version|build|release)\s+(?:string|number|no\.?|tag|label|id|identifier|code)|"
        r"v|ver|versions?|builds?|releases?|rel|firmware|fw|kernel|drivers?|patch(?:es)?|sdk|rev|revision|"
        r"oid|section|sect|clause|chapter|paragraph|para|article|annex|appendix|figure|fig|table|step|"
        r"requirement)\.?\s*$|§\s*$",
        regex.I,
    )
    # "Release notes for 12.18.2.143", "the changelog of 4.16.9.77", "upgrade the agent to 9.6.6.187": wording that
    # names the number a version, whatever its octets; strong, but vetoed by any network, machine or person word.
    # Not "update ... to": one updates a DNS record, a mirror or a webhook to an address as often as software.
    _VERSION_PHRASE = regex.compile(
        r"\b(?:release\s+notes|changelogs?|change\s+logs?|what['’]s\s+new|upgrade\s+(?:guide|notes)|migration\s+guide|"
        r"known\s+issues|errata)\s+(?:for|of|in|to)\s+(?:(?:version|release|build|v)\.?\s*)?$"
        r"|\b(?:upgrad|downgrad)(?:e|es|ed|ing)\s+(?:[\w-]+\s+){0,3}?to\s+(?:(?:version|release|build|v)\.?\s*)?$"
        r"|\bbump(?:s|ed|ing)?\s+(?:[\w-]+\s+){0,3}?to\s+(?:(?:version|release|build|v)\.?\s*)?$"
        r"|\b(?:upgrad|downgrad|migrat)(?:e|es|ed|ing)\s+(?:[\w-]+\s+){0,3}?from\s+(?:(?:version|release|build|v)\.?\s*)?$",
        regex.I,
    )
    # "the 6.4.1.2 hotfix", "8.1.0.2 release notes": the word right after names the number a version
    _VERSION_AFTER = regex.compile(
        r"\s+(?:hotfix(?:es)?|releases?|builds?|patch(?:es)?|firmware|versions?|branch|lts|changelog|"
        r"release\s+notes|service\s+pack|rollout|beta|alpha|rc\d*|nightly|stable|preview)\b",
        regex.I,
    )
    _SOFTWARE = regex.compile(
        r"\b(?:versions?|builds?|releases?|firmware|kernel|patch(?:es)?|sdk|upgrade[sd]?|upgrading|update[sd]?|"
        r"agents?|apps?|image|cve|crash(?:es|ed)?|hotfix(?:es)?|drivers?|plugins?|apis?|librar(?:y|ies)|"
        r"packages?|modules?|installers?|lts|long-term\s+support|rolled\s+out|rollouts?|service\s+pack|"
        r"roll(?:ed|s|ing)?[\s-]?backs?|downgrad(?:e|es|ed|ing)|regressions?|supported|compatib(?:le|ility)|"
        r"changelogs?|release\s+notes|deprecated|end[\s-]of[\s-]life|eol|pinned|bump(?:ed|s)?|"
        r"(?:minimum|latest|oldest|required)\s+client|client\s+(?:version|build|release)|"
        r"(?:and|or)\s+(?:later|newer|above|higher)|onwards?|stable|beta|alpha|nightly|preview|canary|latest|"
        r"tested|certified|validated|qualified)\b", regex.I
    )
    # "Jasper 2.1.4.7 is the LTS line": a dotted quad right after a capitalised word (a product's name)
    _PRODUCT_BEFORE = regex.compile(r"(?<![\w.-])\p{Lu}[\p{L}\p{M}]*\p{Ll}[\p{L}\p{M}]*\s$")
    # machines that carry an address: "Laptop 10.2.3.4 was stolen" names a host, not a product
    _DEVICE = regex.compile(
        r"(?:laptops?|notebooks?|workstations?|desktops?|pcs?|printers?|phones?|tablets?|routers?|switch(?:es)?|"
        r"cameras?|machines?|devices?|nodes?|boxes|box|vms?|endpoints?|terminals?|scanners?|sensors?|"
        r"controllers?|appliances?|instances?|kiosks?|modems?|nas|clients?|tills?|hosts?|servers?|gateways?)",
        regex.I,
    )
    _NETWORK_WORDS = (
        r"ip|ips|address(?:es)?|hosts?|hostname|servers?|log-?ins?|logged|sign-?ins?|ssh|rdp|ping|traffic|"
        r"firewall|subnet|gateway|dns|vpn|proxy|connect(?:ed|ion|ions|s)?|sessions?|requests?|attacks?|attempts?|"
        r"ports?|routers?|network|lan|wan|wi-?fi|dhcp|nat|tcp|udp|http|https|isp"
    )
    _NETWORK_CLAUSE = regex.compile(rf"\b(?:{_NETWORK_WORDS})\b", regex.I)
    _PREPOSITION = regex.compile(r"\b(?:from|at|via)\s*$", regex.I)
    # Words anywhere in the sentence that make a weakly version-like quad (software words, a product
    # name, a sibling quad) an address after all: one machine talking to another, a machine that
    # carries an address, or a person using it. "2.4.1.17 connected via VPN", "after the update, her
    # PC got 8.1.0.2", "the API key was used by 10.4.1.17", "the installer phoned home to 8.1.0.2".
    _NET_ANY = regex.compile(
        r"\b(?:ip|ips|address(?:es)?|hosts?|hostname|log-?ins?|logged|sign-?ins?|ssh|rdp|ping(?:ed|s)?|"
        r"connect(?:ed|ion|ions|s|ing)?|sessions?|vpn|traffic|attacks?|attackers?|attempts?|firewall|blocked|"
        r"banned|subnet|gateway|dns|dhcp|isp|geo(?:location)?|whitelist(?:ed)?|allow-?list(?:ed)?|"
        r"block-?list(?:ed)?|blacklist(?:ed)?|source|destination|beacon(?:ed|s|ing)?|phoned|home|malware|"
        r"intrusion|suspicious|malicious|scan(?:s|ned|ner|ners)?|exfiltrat\w*|download(?:s|ed|ing)?)\b",
        regex.I,
    )
    _DEVICE_ANY = regex.compile(
        r"\b(?:laptops?|notebooks?|workstations?|pcs?|printers?|phones?|cameras?|machines?|devices?|nodes?|vms?|"
        r"routers?|modems?|endpoints?|servers?|"
        r"(?<!(?:supported|minimum|latest|oldest|required)\s)clients?(?!\s+(?:versions?|builds?|releases?)))\b",
        regex.I,
    )
    _PEOPLE_ANY = regex.compile(
        r"\b(?:he|she|his|her|hers|him|their|them|users?|user's|customers?|customer's|employees?|employee's|"
        r"staff|contractors?|contractor's|interns?|intern's|visitors?|owners?|members?|managers?|manager's|"
        r"admins?|guests?|subscribers?|students?|patients?|accessed|downloaded|uploaded|visited|uses|used|using|"
        r"assigned|leased|authenticated)\b",
        regex.I,
    )
    _ON = regex.compile(r"\bon\s*$", regex.I)
    _SERIAL = regex.compile(r"\b(?:serial|fingerprint|thumbprint|mac|hash|sha\d*|md5)\b[^.]{0,20}$", regex.I)

    @classmethod
    def _person_near(cls, nlp_artifacts, text: str, m: regex.Match, named_product: bool) -> bool:
        """spaCy sees a PERSON entity in the sentence of ``m`` ("Alice uses 8.1.0.2 and Bob 8.1.0.5"); with
        ``named_product``, not the one right before the number ("Bonnie 2.1.3.4 is the LTS line").
        """
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None:
            return False
        lo, hi = sentence_bounds(text, m.start(), m.end())
        for e in doc.ents:
            if e.label_ != "PERSON" or e.start_char < lo or e.end_char > hi:
                continue
            # the name of the product the number versions (spaCy may tag "Lena 7.7.9.3" as one PERSON)
            if named_product and (e.end_char > m.start() or text[e.end_char:m.start()].isspace()):
                continue
            return True
        return False

    @classmethod
    def _product_before(cls, text: str, start: int, nlp_artifacts) -> bool:
        """The word right before ``text[start:]`` is capitalised, spaCy tags it a proper noun outside any
        PERSON entity, and it is no machine ("Jasper 2.1.4.7 is the LTS line", not "Laptop 10.2.3.4 was
        stolen" nor "Type 10.2.3.4 into the gateway field"). Without spaCy's tokens, never.
        """
        window = max(0, start - 30)
        m = cls._PRODUCT_BEFORE.search(text[window:start])
        doc = getattr(nlp_artifacts, "tokens", None)
        if not m or doc is None or cls._DEVICE.fullmatch(m.group().strip()):
            return False
        at = window + m.start()
        token = next((t for t in doc if t.idx == at), None)
        return token is not None and token.pos_ == "PROPN" and token.ent_type_ != "PERSON"

    @classmethod
    def _sibling_versions(cls, text: str, m: regex.Match, quads: list[regex.Match]) -> bool:
        """Another dotted quad in the sentence of ``m`` shares its first two numbers, both below 32; with
        "from"/"at"/"via" just before ``m``, a software word in the sentence is needed too ("upgrade the
        agent from 6.2.0.1 to 6.2.0.4"). The caller checks the sentence for host and person words.
        """
        head = m.group().split(".")[:2]
        if any(int(n) >= 32 for n in head):
            return False
        lo, hi = sentence_bounds(text, m.start(), m.end())
        siblings = [q for q in quads if q is not m and lo <= q.start() and q.end() <= hi
                    and q.group().split(".")[:2] == head]
        if not siblings:
            return False
        sentence = text[lo:hi]
        if regex.search(r"\b(?:from|at|via)\s*$", text[lo:m.start()], regex.I):
            return bool(cls._SOFTWARE.search(sentence))
        return True

    def spans(self, text, nlp_artifacts):
        """Valid IPv4 addresses at 0.9, or 0.2 when they read as a version number, a CIDR block, a
        network mask or a loopback address; valid IPv6 addresses at 0.9, except two-character-group serials and fingerprints.
        """
        quads = list(self._V4.finditer(text))
        for m in quads:
            try:
                address = ipaddress.IPv4Address(m.group())
            except ValueError:
                continue
            before = clause_before(text, m.start(), 30)
            # the sentence so far, across ";": "app 2.6.3.4 crashes; 2.6.3.5 does not"
            clause = regex.split(r"[.!?\n](?:\s|$)", text[max(0, m.start() - 80):m.start()])[-1]
            after = regex.split(r"[.!?;\n](?:\s|$)", text[m.end():m.end() + 40])[0]
            # "runs on 10.1.2.3" is a host, "stuck on 2.3.12.12 because of the plugin API" a version:
            # a bare "on" yields to software words after the number, never to those before it
            on = self._ON.search(clause)
            software_after = self._SOFTWARE.search(after)
            software = software_after or not on and self._SOFTWARE.search(clause)
            product = not on and self._product_before(text, m.start(), nlp_artifacts)
            sibling = self._sibling_versions(text, m, quads)
            # only a version-shaped quad can be a version on weak evidence: small numbers ("8.1.0.2",
            # "2.4.1.17"), not private space; a random host ("52.14.3.9", "10.0.4.17") has larger or private ones
            if (software or product or sibling) and version_shaped(address):
                # weak evidence: any word about a network, a person (or a name spaCy sees) vetoes it,
                # and so does a machine unless a product name stands right before the number
                sentence = sentence_around(text, m.start(), m.end())
                # "from"/"at"/"via" right before: only a sibling quad with a software word outweighs it
                preposition = self._PREPOSITION.search(clause) and not sibling
                vetoed = (preposition or self._NETWORK_CLAUSE.search(clause) or self._NET_ANY.search(sentence)
                          or self._PEOPLE_ANY.search(sentence)
                          or self._person_near(nlp_artifacts, text, m, named_product=bool(software_after))
                          or (self._DEVICE_ANY.search(sentence) and not product))
                weak_version = not vetoed
            else:
                weak_version = False
            # "the 6.4.1.2 hotfix", but not "her laptop 10.2.3.4 build" nor "host 10.2.3.4 patch"
            named_version = self._VERSION.search(before) or (
                self._VERSION_AFTER.match(text[m.end():]) and not self._NETWORK_CLAUSE.search(clause)
                and not self._DEVICE_ANY.search(clause) and not self._PEOPLE_ANY.search(clause))
            # a cell under a "Version" / "Release" / "Build" column of a table
            named_version = named_version or version_column(text, m.start())
            if not named_version and self._VERSION_PHRASE.search(clause):
                # "Release notes for 12.18.2.143: see the changelog", not "upgrade the router to 52.14.3.9" nor
                # "release notes for 4.16.9.77 were sent to the server at ..."
                sentence = sentence_around(text, m.start(), m.end())
                named_version = not (self._NETWORK_CLAUSE.search(clause) or self._NET_ANY.search(sentence)
                                     or self._DEVICE_ANY.search(sentence) or self._PEOPLE_ANY.search(sentence)
                                     or self._person_near(nlp_artifacts, text, m, named_product=False))
            # a CIDR block of private or reserved space ("10.0.0.0/8", RFC 1918) names no one's network; a
            # public block ("202.151.124.0/23") is a customer's or a person's address range
            cidr = regex.match(r"/(?:[0-9]|[12]\d|30)\b", text[m.end():]) and not address.is_global  # /31, /32: hosts
            if named_version or weak_version or cidr or ipv4_no_host(address):
                # a version number, a private CIDR block, a network mask or loopback
                yield m.start(), m.end(), 0.2
            else:
                yield m.start(), m.end(), 0.9
        for m in self._V6.finditer(text):
            candidate = m.group()
            try:
                ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            groups = [g for g in candidate.split(":") if g]
            if "::" not in candidate and all(len(g) == 2 for g in groups):
                continue  # 89:42:16:7A:38:52:86:19 — a serial or fingerprint
            if self._SERIAL.search(clause_before(text, m.start(), 40)):
                continue
            yield m.start(), m.end(), 0.9
