"""Who may do what with accounts and organisations (django-rules predicates)."""

import rules
from django.conf import settings

# is_group_member caches the user's groups on the user object: one query per request at most.
is_organiser = rules.is_superuser | rules.is_group_member(settings.CIVICNET_ORGANISERS_GROUP)


@rules.predicate
def has_verified_email(user):
    return user.is_authenticated and user.email_verified  # kept from EmailAddress (accounts/apps.py)


@rules.predicate
def is_org_member(user, organisation):
    return organisation.role_of(user) is not None


@rules.predicate
def is_org_admin(user, organisation):
    return organisation.role_of(user) == "admin"


@rules.predicate
def is_verified_org(user, organisation):
    return organisation.verified


rules.add_perm("organisation.create", has_verified_email)
rules.add_perm("organisation.view", is_verified_org | is_org_member | is_organiser)
rules.add_perm("organisation.view_members", is_org_member | is_organiser)
rules.add_perm("organisation.edit", is_org_admin | is_organiser)
rules.add_perm("organisation.invite", is_org_admin & has_verified_email)
rules.add_perm("organisation.manage_members", is_org_admin)
rules.add_perm("organisation.leave", is_org_member)
