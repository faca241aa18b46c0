"""`HubIdentity` without a hub: a hub user's groups give a role at this site only, an opaque
username leads back to the roster, and the identity a page's kernel reads cannot be forged."""

from __future__ import annotations

import pytest

from course.access.hub import IDENTITY_HEADER, HubIdentity
from course.access.hub_names import learner_username
from course.access.provider import KernelRequest


@pytest.fixture
def hub_site(project):
    roster = project.roster()
    alice, _code = roster.add("Alice")
    provider = HubIdentity(project, site="a")
    name = learner_username(roster._secret(), "a", alice.id)
    return provider, alice, name


def test_groups_give_a_role_at_this_site_only(hub_site):
    provider, alice, name = hub_site
    learner = provider.identity_for_user({"name": name, "groups": ["site.a.learner"]})
    assert learner is not None and learner.learner_id == alice.id and learner.name == "Alice"
    assert learner.roles == {"learner"} and learner.site == "a"
    trainer = provider.identity_for_user({"name": "marie", "groups": ["site.a.trainer"]})
    assert trainer is not None and trainer.roles == {"trainer"} and trainer.learner_id is None
    for refused in (
        {"name": name, "groups": ["site.b.learner"]},  # another site's group
        {"name": "marie", "groups": ["site.b.trainer", "coordination"]},
        {"name": "l-000000000000000000000000", "groups": ["site.a.learner"]},  # not in roster
        {"name": name, "groups": []},
        {"name": "site-a", "kind": "service", "groups": ["site.a.trainer"]},
    ):
        assert provider.identity_for_user(refused) is None, refused


def test_a_username_made_for_another_site_is_nobody_here(hub_site, project):
    provider, alice, _name = hub_site
    other = learner_username(project.roster()._secret(), "b", alice.id)
    assert provider.identity_for_user({"name": other, "groups": ["site.a.learner"]}) is None


def test_the_kernel_reads_the_signed_identity_and_refuses_a_forged_one(hub_site):
    provider, alice, name = hub_site
    identity = provider.identity_for_user({"name": name, "groups": ["site.a.learner"]})
    value = provider.kernel_value(identity)
    visit = provider.get_kernel_identity(KernelRequest(headers={IDENTITY_HEADER.lower(): value}))
    assert visit.identity is not None and visit.identity.learner_id == alice.id
    assert visit.session == ""  # nothing for the browser to keep: the hub's session is upstream
    body, _dot, signature = value.partition(".")
    for forged in (f"{body}.{'0' * len(signature)}", f"{body}.", "", "n'importe.quoi"):
        request = KernelRequest(headers={IDENTITY_HEADER.lower(): forged})
        assert provider.get_kernel_identity(request).identity is None, forged
    # The same signed value does not open another site's pages.
    other_site = HubIdentity(provider.project, site="b")
    request = KernelRequest(headers={IDENTITY_HEADER.lower(): value})
    assert other_site.get_kernel_identity(request).identity is None
    with pytest.raises(Exception, match="accueil du réseau"):
        provider.sign_in("Alice", "ABCD-EFGH")
    assert provider.page_sign_out_url() == "/hub/logout"
