"""« Envoyer à la coordination »: this site's bundle, downloaded from the trainer's space (until
a sync makes it automatic), and the way to the coordination space from this computer.

The bundle (`course.coordinator.outbox.site_bundle`, as in the coordination space) is named
`paquet-<site>-<day>.zip` and also kept under `var/paquets/`. Without a site name the page says
so, with a link to the settings. « Ouvrir l'espace de coordination » gives this computer a fresh
link to it (what `course space` prints): a link token is accepted from this computer only, so
from another one the page points to the coordination's password instead.
"""

from __future__ import annotations

from course.access.gate import LOOPBACK
from course.coordinator.bundle import NO_SITE_NAME, BundleError
from course.coordinator.outbox import BUNDLES, kept_bundles, site_bundle
from course.coordinator.sync_client import coordination_address
from course.core import french
from course.core.files import PRIVATE_DIR
from course.sync.devices import this_device
from course.trainer.space import sync_page
from course.trainer.space.pages import TrainerPage, in_thread
from course.trainer.space.settings_page import PATH as SETTINGS
from course.web.space import Rule, space_url
from course.workshops.site import site_name

COORDINATION = "coordination"  # `course.coordinator.space.PREFIX`


class SendPage(TrainerPage):
    def get(self) -> None:
        site = site_name(self.project.data_dir, self.project.config)
        added = {
            label: self.get_query_argument(key, "")
            for label, key in sync_page.KEYS.items()
        }  # fmt: skip
        done = sync_page.done_message(
            self.get_query_argument("fait", ""), self.get_query_argument("n", ""), added
        )
        # `fait` names what happened here (not the notice's text, as on other pages): the
        # notice is the sentence it stands for, shown once, where every page shows its own.
        self.page("send.html.j2", title="Envoyer à la coordination", site=site, notice=done,
                  device=this_device(self.project.data_dir),
                  address=coordination_address(self.project),
                  no_site=NO_SITE_NAME, settings=self.space.url(SETTINGS),
                  kept=kept_bundles(self.project), here=self.address in LOOPBACK,
                  coordination=space_url(self.space.base_url, COORDINATION, "connexion"))  # fmt: skip


class BundleFile(TrainerPage):
    async def get(self) -> None:
        site = site_name(self.project.data_dir, self.project.config)
        day = french.today()
        try:
            name, data, _counts = await in_thread(site_bundle, self.project, site, day)
        except BundleError as error:
            self.set_status(400)
            self.problem("Pas encore de paquet", str(error),
                         (self.space.url(SETTINGS), "Ouvrir les réglages du site"))  # fmt: skip
            return
        (self.project.data_dir / BUNDLES).chmod(PRIVATE_DIR)
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        self.finish(data)


class ToCoordination(TrainerPage):
    """A fresh link to the coordination space, for this computer only (a POST: it replaces the
    link `course space` printed)."""

    def post(self) -> None:
        sign_in = space_url(self.space.base_url, COORDINATION, "connexion")
        if self.address not in LOOPBACK:
            self.redirect(sign_in, status=303)  # the password, from another computer
            return
        self.redirect(self.space.access.space_link("coordinator", sign_in), status=303)


def rules() -> list[Rule]:
    return [
        ("envoyer", SendPage, {}),
        (r"envoyer/paquet\.zip", BundleFile, {}),
        ("vers-la-coordination", ToCoordination, {}),
        *sync_page.rules(),
    ]
