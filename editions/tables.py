"""Every module that defines tables, imported once so the metadata is complete.

Alembic, the migration tests and the app import this module rather than
``editions.models`` alone: a feature that adds tables adds its module here.
"""

import editions.accounts
import editions.assignments
import editions.attachments
import editions.dashboard
import editions.exchange.history
import editions.exchange.previews
import editions.images
import editions.newsletter.models
import editions.newsletter.pdf
import editions.search
import editions.signins
import editions.status
import editions.storage
import editions.tokens  # noqa: F401 - API tokens
from editions.models import Base

__all__ = ["Base"]
