"""Translators' work: the segment editor, translation memory, the glossary,
assignments, the dashboard's queries and its progress chart."""
