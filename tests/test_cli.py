"""The `editions` command, as a coordinator uses it."""

import json

from sqlalchemy import select

from editions.core.models import Role, User


def test_status_as_json_lists_every_status_of_the_demo(run_cli):
    assert run_cli("demo", "load").exit_code == 0
    result = run_cli("status", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"article_id", "edition", "status", "words_to_translate", "words_stale"} <= set(rows[0])
    assert {row["status"] for row in rows} == {"missing", "draft", "stale", "current"}


def test_status_table_can_be_filtered(run_cli):
    run_cli("demo", "load")
    result = run_cli("status", "--edition", "fa", "--status", "stale")
    lines = result.output.splitlines()[1:-1]
    assert lines and all(" fa " in line and "stale" in line for line in lines)
    assert result.output.splitlines()[-1].endswith("stale")


def test_an_unknown_edition_is_a_clear_error_not_a_traceback(run_cli):
    result = run_cli("status", "--edition", "de")
    assert result.exit_code == 2
    assert "unknown edition 'de'" in result.output
    assert "Traceback" not in result.output


def test_demo_load_twice_does_not_duplicate(run_cli):
    assert "28 articles loaded" in run_cli("demo", "load").output
    assert "0 articles loaded, 28 already there" in run_cli("demo", "load").output


def test_users_create_hashes_the_password(run_cli, session):
    result = run_cli(
        "users",
        "create",
        "leyla",
        "--role",
        "translator",
        "--edition",
        "fa",
        env={"EDITIONS_NEW_PASSWORD": "a long enough secret"},
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(User).where(User.username == "leyla")).one()
    assert (user.role, user.editions) == (Role.TRANSLATOR, ("fa",))
    assert "a long enough secret" not in user.password_hash


def test_users_create_refuses_a_translator_without_an_edition(run_cli, session):
    result = run_cli(
        "users",
        "create",
        "arben",
        "--role",
        "translator",
        env={"EDITIONS_NEW_PASSWORD": "a long enough secret"},
    )
    assert result.exit_code == 1
    assert "a translator works in at least one edition" in result.output
    assert session.scalars(select(User).where(User.username == "arben")).first() is None


def test_synth_adds_articles_with_a_progress_bar(run_cli):
    result = run_cli("synth", "--articles", "20")
    assert result.exit_code == 0, result.output
    assert "20 articles added, ids 100001–100020" in result.output
