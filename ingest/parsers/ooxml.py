"""Reading an OOXML package (ECMA-376 Part 2, Open Packaging Conventions) safely.

Parts are found by following relationships (``_rels/.rels``, then the main
part's own ``.rels``), never by fixed paths, so a renamed main part still
opens. XML is parsed with lxml without network access, DTDs or entity
expansion; a part that declares a DTD is refused (OOXML never needs one, and
entity expansion is how billion-laughs bombs work). Transitional and Strict
OOXML differ in namespaces and relationship-type URIs; callers match on the
local name and the relationship type's last segment, which both share.
"""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

from .base import ParseError

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


class Package:
    """An opened, already size-checked OOXML zip (:func:`ingest.parsers.limits.zip_check`).

    ``kind`` names the format in error messages ("DOCX")."""

    def __init__(self, archive: zipfile.ZipFile, *, kind: str) -> None:
        self.archive = archive
        self.kind = kind
        self._names = {name.lstrip("/"): name for name in archive.namelist()}

    def xml(self, part: str) -> etree._Element:
        """The root element of ``part`` (a name inside the zip, without a leading ``/``).

        Raises ``ParseError("corrupt <KIND>: ...")`` if the part is missing, is not
        well-formed XML or declares a DTD."""
        name = self._names.get(part.lstrip("/"))
        if name is None:
            raise ParseError(f"corrupt {self.kind}: part {part} is missing")
        try:
            tree = etree.fromstring(self.archive.read(name), parser=_PARSER).getroottree()
        except (etree.XMLSyntaxError, ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ParseError(f"corrupt {self.kind}: {part}: {exc}") from exc
        if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
            raise ParseError(f"{self.kind} part {part} declares a DTD; refused (entities are never expanded)")
        return tree.getroot()

    def has(self, part: str) -> bool:
        """Whether the zip holds ``part``."""
        return part.lstrip("/") in self._names

    def related(self, source: str, relationship: str) -> str | None:
        """The part that ``source`` ("" for the package itself) points to by its first internal
        relationship whose type ends in ``/<relationship>`` (e.g. ``officeDocument``,
        ``styles``, ``core-properties``), as a zip name; None if there is none."""
        directory, name = posixpath.split(source)
        rels = posixpath.join(directory, "_rels", f"{name}.rels")
        if not self.has(rels):
            return None
        for element in self.xml(rels).iter(f"{{{_RELS_NS}}}Relationship"):
            if element.get("TargetMode") == "External":
                continue
            if (element.get("Type") or "").rsplit("/", 1)[-1] != relationship:
                continue
            target = element.get("Target") or ""
            resolved = target if target.startswith("/") else posixpath.join("/", directory, target)
            return posixpath.normpath(resolved).lstrip("/")
        return None

    def part_of_type(self, content_type_suffix: str) -> str | None:
        """The first part whose ``[Content_Types].xml`` override ends in ``content_type_suffix``
        (for packages whose relationships are missing); None if none."""
        if not self.has("[Content_Types].xml"):
            return None
        for element in self.xml("[Content_Types].xml").iter(f"{{{_CONTENT_TYPES_NS}}}Override"):
            if (element.get("ContentType") or "").endswith(content_type_suffix):
                return (element.get("PartName") or "").lstrip("/") or None
        return None


def local_name(element: etree._Element) -> str:
    """``element``'s tag without its namespace ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
