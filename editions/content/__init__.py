"""Articles: their source and its revisions, counterparts in the other editions, the
status of each, search, images, attachments, article files in and out."""
