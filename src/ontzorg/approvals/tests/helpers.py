"""Test helpers: reach a decided shortfall the way users do, proposed by one colleague and
approved by another."""

from ontzorg.approvals import proposals


def decide_and_approve(proposer, approver, case, *, choice, reason, extra_cents=0):
    """Propose a shortfall decision as `proposer`, approve it as `approver`; the case, fresh."""
    from ontzorg.payments import services

    proposal = services.propose_shortfall_decision(
        proposer, case, choice=choice, reason=reason, extra_cents=extra_cents
    )
    proposals.approve(approver, proposal)
    case.refresh_from_db()
    return case


def colleague_of(user, username: str | None = None):
    """A second backoffice user in `user`'s organisation (someone to approve)."""
    from ontzorg.accounts.constants import RoleCode
    from ontzorg.accounts.tests.factories import UserFactory

    extra = {"username": username} if username else {}
    return UserFactory(role_code=RoleCode.BACKOFFICE, organisation=user.organisation, **extra)
