"""The ground floor: settings, editions and their languages, the data model, the
database and its transactions, refusals and their messages, shared storage."""
