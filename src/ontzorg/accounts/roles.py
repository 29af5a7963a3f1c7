"""The roles Ontzorg ships with: least privilege per role (loaded by migration 0002)."""

from .constants import RoleCode, Scope

ROLES = {
    RoleCode.KLANTMANAGER: dict(
        name="Klantmanager",
        scope=Scope.REGION,
        sees_bsn=True,
        sees_bank=True,
        edits_participants=True,
        records_guidance=True,
    ),
    RoleCode.BACKOFFICE: dict(
        name="Backoffice / budgetbeheerder",
        scope=Scope.REGION,
        sees_bsn=True,
        sees_bank=True,
        prepares_payments=True,
        approves_payments=True,
    ),
    RoleCode.BUDGETCOACH: dict(
        name="Budgetcoach",
        scope=Scope.ORGANISATION,
        records_guidance=True,
    ),
    RoleCode.PROJECTLEIDER: dict(
        name="Projectleider",
        scope=Scope.REGION,
        exports_pseudonymised=True,
    ),
    RoleCode.EVALUATOR: dict(
        name="Evaluator",
        scope=Scope.NONE,
        exports_pseudonymised=True,
    ),
    RoleCode.BEHEERDER: dict(
        name="Beheerder",
        scope=Scope.ALL,
        sees_bsn=True,
        sees_bank=True,
        edits_participants=True,
        views_audit=True,
    ),
}
