"""La Coop de la médiation numérique's vocabulary, shared by the catalogue and the reports.

La Coop is the state's activity-report tool for conseillers numériques. A module names its
thématiques with La Coop's own codes (`thematiques = ["SecuriteNumerique"]` in module.toml) and
the activity report prints La Coop's labels, so a conseiller copies values, never translates.
Codes and labels are those of `inclusion-numerique/coop-mediation-numerique` (2026). This
module imports nothing: the catalogue, which grade cells load, stays light.
"""

from __future__ import annotations

ACTIVITY_TYPES = {"Individuel": "Accompagnement individuel", "Collectif": "Atelier collectif"}
# Thématiques « médiation numérique » (non administratives), in La Coop's order.
THEMATIQUES = {
    "DiagnosticNumerique": "Diagnostic numérique",
    "PrendreEnMainDuMateriel": "Prendre en main du matériel",
    "MaintenanceDeMateriel": "Maintenance de matériel",
    "GereSesContenusNumeriques": "Gérer ses contenus numériques",
    "NavigationSurInternet": "Navigation sur internet",
    "Email": "E-mail",
    "Bureautique": "Bureautique",
    "ReseauxSociaux": "Réseaux sociaux communication",
    "Sante": "Santé",
    "BanqueEtAchatsEnLigne": "Banque et achats en ligne",
    "Entrepreneuriat": "Accompagner un professionnel",
    "InsertionProfessionnelle": "Insertion professionnelle",
    "SecuriteNumerique": "Prévention en sécurité numérique",
    "Parentalite": "Parentalité",
    "ScolariteEtNumerique": "Scolarité et numérique",
    "CreerAvecLeNumerique": "Créer avec le numérique",
    "CultureNumerique": "Culture numérique",
    "IntelligenceArtificielle": "Intelligence artificielle (IA)",
    "AideAuxDemarchesAdministratives": "Aide aux démarches administratives",
}
