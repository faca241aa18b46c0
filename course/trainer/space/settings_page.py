"""« Réglages du site »: the site's name, its places, who leads workshops there, and the
password that opens this space from another computer.

Asked at the trainer's first visit (the home page sends her here until they are saved once),
changed at any time. Kept in the project's data (`course.workshops.site`: `var/site.json`;
the password's hash in `var/access/trainer.password`), never in `nbgrader_config.py`. A name or
password a deployer set in `nbgrader_config.py` wins: the page says so instead of offering a
field that would change nothing. Behind a hub (`Space.behind_hub`) the hub signs the staff in
and lists who animates where (hub.toml): neither the password nor that list is asked here.
"""

from __future__ import annotations

from course.access.gate import configured_password, password_file, set_password
from course.core.errors import UserError
from course.trainer.space.pages import TrainerPage
from course.web.space import Rule
from course.workshops import WorkshopError
from course.workshops.site import (
    SiteProfile,
    clean_name,
    clean_names,
    configured_site,
    load_profile,
    save_profile,
)

PATH = "reglages"
TITLE = "Réglages du site"
FIRST_TITLE = "Bienvenue : les réglages de ce site"


def needs_settings(page: TrainerPage) -> bool:
    """The first visit: nothing saved yet (the home page sends the trainer to the settings)."""
    return not load_profile(page.project.data_dir).saved


class SettingsPage(TrainerPage):
    def get(self) -> None:
        profile = load_profile(self.project.data_dir)
        self.show(profile, {"name": profile.name, "places": "\n".join(profile.places),
                            "trainers": "\n".join(profile.trainers)})  # fmt: skip

    def show(self, profile: SiteProfile, form: dict[str, str], error: str = "") -> None:
        self.page(
            "settings.html.j2",
            title=TITLE if profile.saved else FIRST_TITLE,
            first=not profile.saved,
            form=form,
            error=error,
            configured_site=configured_site(self.project.config),
            configured_password=configured_password(self.project, "trainer"),
            has_password=password_file(self.project, "trainer").is_file(),
        )

    def post(self) -> None:
        form = {k: self.get_body_argument(k, "")[:10_000]
                for k in ("name", "places", "trainers", "password", "password2")}  # fmt: skip
        before = load_profile(self.project.data_dir)
        if self.space.behind_hub:  # the hub signs staff in and keeps their list: kept as is
            form |= {"trainers": "\n".join(before.trainers), "password": "", "password2": ""}
        try:
            profile = self.read(form)
            if form["password"] or form["password2"]:
                if form["password"] != form["password2"]:
                    raise WorkshopError("Les deux mots de passe sont différents. Rien n'a changé.")
                try:
                    set_password(self.project, "trainer", form["password"])
                except ValueError as error:  # too short: said in French by `set_password`
                    raise WorkshopError(str(error)) from None
        except UserError as error:
            self.set_status(400)
            self.show(before, {**form, "password": "", "password2": ""}, str(error))
            return
        save_profile(self.project.data_dir, profile)
        said = "Réglages enregistrés."
        if form["password"]:
            said += " Le mot de passe compte dès maintenant."
        self.back("" if not before.saved else PATH, said)

    def read(self, form: dict[str, str]) -> SiteProfile:
        configured = configured_site(self.project.config)
        name = configured or clean_name(form["name"], "Le nom du site")
        if not name:
            raise WorkshopError(
                "Donnez un nom au site (par exemple « Médiathèque de Brest ») : la coordination "
                "s'en sert pour reconnaître vos ateliers."
            )
        places = clean_names(form["places"], "Les lieux")
        trainers = clean_names(form["trainers"], "Les personnes qui animent")
        return SiteProfile(name if not configured else "", places, trainers, True)


def rules() -> list[Rule]:
    return [(PATH, SettingsPage, {})]
