"""Every module that defines tables, imported once so the metadata is complete.

Alembic, the migration tests and the app import this module rather than
``editions.core.models`` alone: a feature that adds tables adds its module here.
"""

import editions.accounts.roles
import editions.accounts.signins
import editions.accounts.tokens
import editions.content.attachments
import editions.content.images
import editions.content.search
import editions.content.status
import editions.core.storage
import editions.exchange.history
import editions.exchange.previews
import editions.newsletter.models
import editions.newsletter.pdf
import editions.translation.assignments
import editions.translation.dashboard  # noqa: F401 - each import registers its tables
from editions.core.models import Base

__all__ = ["Base"]
