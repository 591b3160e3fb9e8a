"""PO exchange: coordinators send segments to translators' tools and bring the work back.

- ``pofiles``: writing entries one at a time (polib, no line wrapping) and reading a
  file with every file-level check (size, encoding, charset, Language, syntax,
  duplicates, zip members);
- ``poreader``: GNU gettext's PO syntax, read strictly (what ``msgfmt --check`` refuses
  is refused, nothing is repaired);
- ``export``: the entries of an edition, streamed from the database in article order;
- ``importer``: what each entry would do (the preview) and applying it;
- ``history``: every import kept with its report.
"""
