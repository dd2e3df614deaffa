"""Every column that points at a member is accounted for by both the export and the deletion.

A new table or column referencing users.id fails here until forum.accounts.export and
forum.accounts.deletion each say, in COVERED_COLUMNS, what they do with it.
"""
from __future__ import annotations

import importlib

import pytest

from forum import models  # noqa: F401  (every table in the metadata)
from forum.extensions import db


def columns_pointing_at_members() -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.target_fullname == "users.id"
    }


def all_columns() -> set[str]:
    return {f"{table.name}.{column.name}"
            for table in db.metadata.sorted_tables for column in table.columns}


def covered(module_name: str) -> dict[str, str]:
    return importlib.import_module(module_name).COVERED_COLUMNS


@pytest.mark.parametrize("module_name", ["forum.accounts.deletion", "forum.accounts.export"])
def test_every_column_pointing_at_a_member_is_covered(module_name):
    missing = columns_pointing_at_members() - set(covered(module_name))
    assert not missing, f"{module_name}.COVERED_COLUMNS says nothing of {sorted(missing)}"


@pytest.mark.parametrize("module_name", ["forum.accounts.deletion", "forum.accounts.export"])
def test_no_covered_column_is_made_up(module_name):
    unknown = set(covered(module_name)) - all_columns()
    assert not unknown, f"{module_name}.COVERED_COLUMNS names columns that do not exist: " \
                        f"{sorted(unknown)}"


@pytest.mark.parametrize("module_name", ["forum.accounts.deletion", "forum.accounts.export"])
def test_covered_columns_point_at_members(module_name):
    elsewhere = set(covered(module_name)) - columns_pointing_at_members()
    assert not elsewhere, f"{sorted(elsewhere)} do not reference users.id"


@pytest.mark.parametrize("module_name", ["forum.accounts.deletion", "forum.accounts.export"])
def test_each_entry_says_what_happens(module_name):
    unexplained = [name for name, text in covered(module_name).items() if len(text.split()) < 2]
    assert not unexplained, f"say in a few words what happens to {unexplained}"


def test_the_walk_finds_the_columns_it_should():
    found = columns_pointing_at_members()
    assert {"posts.author_id", "threads.author_id", "profiles.user_id",
            "moderation_actions.actor_id", "treatment_reports.author_id"} <= found
