"""The glossary as TBX (ISO 30042), the standard file of terminology tools.

Written as TBX-Basic-style TBX 2 (``<martif>``): one ``termEntry`` per glossary entry,
one ``langSet`` per edition with its term in a ``tig``, the entry's note as a ``note``
of the entry and each term's note inside its ``tig``, and "do not translate" as
``<descrip type="Translation needed">no</descrip>`` (the convention translate-toolkit and
Weblate read). Reading accepts that and TBX 3 (``<tbx>`` with ``conceptEntry``,
``langSec``, ``termSec``); it parses with defusedxml (no entities, no network) and
refuses a file that is not well-formed XML or not TBX as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import GlossaryEntry
from editions.translation.glossary import EntryData, GlossaryError, TermFile

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NEEDED = "Translation needed"


# ---------------------------------------------------------------- writing


def write_tbx(entries: Sequence[GlossaryEntry], editions: Mapping[str, Edition]) -> bytes:
    first = next(iter(editions), "en")
    root = ElementTree.Element("martif", {"type": "TBX", XML_LANG: first})
    header = ElementTree.SubElement(root, "martifHeader")
    description = ElementTree.SubElement(ElementTree.SubElement(header, "fileDesc"), "sourceDesc")
    ElementTree.SubElement(description, "p").text = "Editions glossary"
    body = ElementTree.SubElement(ElementTree.SubElement(root, "text"), "body")
    for entry in entries:
        element = ElementTree.SubElement(body, "termEntry", {"id": f"g{entry.id}"})
        if entry.note:
            ElementTree.SubElement(element, "note").text = entry.note
        if entry.do_not_translate:
            ElementTree.SubElement(element, "descrip", {"type": _NEEDED}).text = "no"
        for code in editions:
            term = entry.term(code)
            if term is None:
                continue
            language = ElementTree.SubElement(element, "langSet", {XML_LANG: code})
            tig = ElementTree.SubElement(language, "tig")
            ElementTree.SubElement(tig, "term").text = term.text
            if term.note:
                ElementTree.SubElement(tig, "note").text = term.note
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# ---------------------------------------------------------------- reading


def read_tbx(data: bytes, filename: str, editions: Mapping[str, Edition]) -> TermFile:
    try:
        root = SafeElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise GlossaryError(
            _l("%(file)s, line %(line)s: not well-formed XML (column %(column)s)"),
            file=filename,
            line=line,
            column=column,
        ) from None
    except DefusedXmlException:
        raise GlossaryError(
            _l("%(file)s: XML entities are not accepted in a glossary file"), file=filename
        ) from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(
            _l("%(file)s: not a TBX file (its root element is <%(root)s>)"),
            file=filename,
            root=_local(root.tag),
        )
    result = TermFile()
    for number, concept in enumerate(_children(root, "termEntry", "conceptEntry", deep=True), 1):
        where = f"{filename}, {_local(concept.tag)} {concept.get('id') or number}"
        terms: dict[str, str] = {}
        notes: dict[str, str] = {}
        for language in _children(concept, "langSet", "langSec"):
            code = _edition_for(language.get(XML_LANG, ""), editions)
            tig = next(_children(language, "tig", "ntig", "termSec", deep=True), None)
            term = next(_children(tig, "term", deep=True), None) if tig is not None else None
            if term is None:
                continue
            if code is None:
                result.skipped_languages[language.get(XML_LANG, "") or "?"] += 1
                continue
            terms[code] = _text(term)
            note = "\n".join(_text(node) for node in _children(tig, "note"))  # type: ignore[arg-type]
            if note:
                notes[code] = note
        if not any(text.strip() for text in terms.values()):
            continue
        entry_notes = [
            _text(node)
            for node in concept
            if _local(node.tag) == "note"
            or (_local(node.tag) == "descrip" and node.get("type") == "definition")
        ]
        result.rows.append(
            EntryData(
                terms=terms,
                notes=notes,
                note="\n".join(entry_notes) if entry_notes else None,
                do_not_translate=_do_not_translate(concept),
                where=where,
            )
        )
    return result


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(
    element: ElementTree.Element, *names: str, deep: bool = False
) -> Iterator[ElementTree.Element]:
    nodes = element.iter() if deep else iter(element)
    return (node for node in nodes if node is not element and _local(node.tag) in names)


def _text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _edition_for(language: str, editions: Mapping[str, Edition]) -> str | None:
    """The edition a TBX language tag means: the same code, or the same language."""
    wanted = language.replace("_", "-").lower()
    for code in editions:
        if code.replace("_", "-").lower() == wanted:
            return code
    primary = wanted.split("-")[0]
    return next((code for code in editions if code.split("-")[0].lower() == primary), None)


def _do_not_translate(concept: ElementTree.Element) -> bool | None:
    for node in concept.iter():
        if _local(node.tag) == "descrip" and node.get("type") == _NEEDED:
            return _text(node).lower() == "no"
    return None
