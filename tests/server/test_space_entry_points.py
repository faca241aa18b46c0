"""Spaces are declared as entry points (`course.spaces`), and a broken one is named clearly."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from course.access.room_web import SignInHandler
from course.server import spaces as mounting
from course.server.spaces import GROUP, SpaceLoadError, declared, load, space_handlers, spaces


def test_both_spaces_are_declared_in_the_package_metadata(essai_project):
    points = {point.name: point.value for point in declared()}
    assert points == {
        "trainer": "course.trainer.space:trainer_space",
        "coordination": "course.coordinator.space:coordinator_space",
    }
    found = {space.role: space.prefix for space in spaces(essai_project)}
    assert found == {"trainer": "atelier", "coordinator": "coordination"}
    sign_ins = [p for p, cls, _kw in space_handlers(essai_project) if cls is SignInHandler]
    assert sorted(sign_ins) == ["/atelier/connexion", "/coordination/connexion"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("course.nowhere:space", "No module named 'course.nowhere'"),
        ("course.trainer.space:missing_space", "missing_space"),
    ],
)
def test_an_entry_point_that_does_not_load_is_named(essai_project, value, said):
    point = EntryPoint(name="cassé", value=value, group=GROUP)
    with pytest.raises(SpaceLoadError) as caught:
        load(point, essai_project)
    message = str(caught.value)
    assert f"« cassé = {value} »" in message and "course.spaces" in message and said in message


def test_an_entry_point_that_fails_or_gives_no_space_is_refused(essai_project):
    point = EntryPoint(name="faux", value="course.settings:paused_dir", group=GROUP)
    with pytest.raises(SpaceLoadError, match="« faux = .* n'a pas donné un espace"):
        load(point, essai_project)
    point = EntryPoint(name="plante", value="course.settings:Project", group=GROUP)
    with pytest.raises(SpaceLoadError, match="« plante = .* ne démarre pas : TypeError"):
        load(point, essai_project)


def test_two_spaces_at_one_address_are_refused(essai_project, monkeypatch):
    twice = EntryPoint(name="zz", value="course.trainer.space:trainer_space", group=GROUP)
    monkeypatch.setattr(mounting, "declared", lambda: [*declared(), twice])
    with pytest.raises(SpaceLoadError, match="même adresse : atelier"):
        spaces(essai_project)


def test_course_serve_says_which_space_is_broken_before_starting(essai_project, monkeypatch):
    from course.core.errors import UserError
    from course.server.serve import announce

    broken = EntryPoint(name="cassé", value="course.nowhere:space", group=GROUP)
    monkeypatch.setattr(mounting, "declared", lambda: [*declared(), broken])
    with pytest.raises(UserError, match="« cassé = course.nowhere:space »"):
        announce(essai_project, "127.0.0.1", 8866)
