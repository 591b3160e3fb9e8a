"""signed-in sessions kept on the server, so signing out revokes the cookie

Revision ID: i11_sign_ins
Revises: i15_glossary
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i11_sign_ins"
down_revision = "i15_glossary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_ins",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sign_ins_user_id", "sign_ins", ["user_id"])
    op.create_index("ix_sign_ins_created_at", "sign_ins", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_sign_ins_created_at", table_name="sign_ins")
    op.drop_index("ix_sign_ins_user_id", table_name="sign_ins")
    op.drop_table("sign_ins")
