"""Hub usernames are opaque, per site, and lead back to the right roster id."""

import pytest

from course.access.hub_names import (
    InvalidSiteSlug,
    learner_for_username,
    learner_username,
    service_prefix,
    site_group,
    site_roles,
)


def test_usernames_are_opaque_url_safe_and_per_site() -> None:
    secret = b"k" * 32
    name = learner_username(secret, "brest", "helene")
    assert name.startswith("l-") and "helene" not in name
    assert name.replace("-", "").isalnum()
    assert learner_username(secret, "quimper", "helene") != name
    assert learner_username(b"x" * 32, "brest", "helene") != name
    ids = ["ahmed", "helene", "marie"]
    assert learner_for_username(secret, "brest", name, ids) == "helene"
    assert learner_for_username(secret, "quimper", name, ids) is None
    assert learner_for_username(secret, "brest", "helene", ids) is None


def test_groups_give_roles_and_hostile_slugs_are_refused() -> None:
    assert site_group("brest", "trainer") == "site.brest.trainer"
    assert service_prefix("brest") == "/services/site-brest/"
    groups = ["site.brest.learner", "site.quimper.trainer", "coordination", "site.../etc.trainer"]
    assert site_roles(groups) == {"brest": {"learner"}, "quimper": {"trainer"}}
    for bad in ["../etc", "Brest", "", "a" * 31, "brest.x"]:
        with pytest.raises(InvalidSiteSlug):
            site_group(bad, "learner")
