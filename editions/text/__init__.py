"""Text in any edition: Markdown split into segments and put back together, alignment
and diffs, safe rendering, numbers and dates, glossary terms, quality checks."""
