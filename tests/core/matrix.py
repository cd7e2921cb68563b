"""The core's rows of the permission matrix (tests/quality/test_permission_matrix.py): pages,
accounts, organisations, notifications and allauth's. Codes and personas are explained there."""

from django.urls import reverse


def urls(world) -> dict:
    house = world["house"]
    return {
        "home": reverse("home"),
        "privacy": reverse("privacy"),
        "terms": reverse("terms"),
        "city_css": reverse("city_css"),
        "language_switch": reverse("language_switch"),
        "healthz": reverse("healthz"),
        "favicon.ico": "/favicon.ico",
        # allauth
        "account_login": reverse("account_login"),
        "account_logout": reverse("account_logout"),
        "account_inactive": reverse("account_inactive"),
        "account_signup": reverse("account_signup"),
        "account_reauthenticate": reverse("account_reauthenticate"),
        "account_request_reauthentication_code": reverse("account_request_reauthentication_code"),
        "account_confirm_reauthentication_code": reverse("account_confirm_reauthentication_code"),
        "account_email": reverse("account_email"),
        "account_email_verification_sent": reverse("account_email_verification_sent"),
        "account_change_password": reverse("account_change_password"),
        "account_set_password": reverse("account_set_password"),
        "account_reset_password": reverse("account_reset_password"),
        "account_confirm_login_code": reverse("account_confirm_login_code"),
        "account_confirm_email": reverse("account_confirm_email", args=["not-a-real-key"]),
        "account_reset_password_from_key_done": reverse("account_reset_password_from_key_done"),
        "account_reset_password_from_key": reverse("account_reset_password_from_key", args=["1", "not-a-key"]),
        "account_reset_password_done": reverse("account_reset_password_done"),
        "mfa_index": reverse("mfa_index"),
        "mfa_authenticate": reverse("mfa_authenticate"),
        "mfa_reauthenticate": reverse("mfa_reauthenticate"),
        "mfa_activate_totp": reverse("mfa_activate_totp"),
        "mfa_deactivate_totp": reverse("mfa_deactivate_totp"),
        "mfa_view_recovery_codes": reverse("mfa_view_recovery_codes"),
        "mfa_generate_recovery_codes": reverse("mfa_generate_recovery_codes"),
        "mfa_download_recovery_codes": reverse("mfa_download_recovery_codes"),
        # notifications
        "notifications:list": reverse("notifications:list"),
        "notifications:read_all": reverse("notifications:read_all"),
        "notifications:preferences": reverse("notifications:preferences"),
        "notifications:open": reverse("notifications:open", args=[world["notification"].pk]),
        "notifications:unsubscribe": reverse("notifications:unsubscribe", args=[world["unsubscribe"].strip("/")]),
        # accounts
        "accounts:profile": reverse("accounts:profile"),
        "accounts:data_export": reverse("accounts:data_export"),
        "accounts:account_delete": reverse("accounts:account_delete"),
        "accounts:organisation_list": reverse("accounts:organisation_list"),
        "accounts:organisation_create": reverse("accounts:organisation_create"),
        "accounts:organisation_detail": reverse("accounts:organisation_detail", args=[house.slug]),
        "accounts:organisation_edit": reverse("accounts:organisation_edit", args=[house.slug]),
        "accounts:organisation_members": reverse("accounts:organisation_members", args=[house.slug]),
        "accounts:organisation_leave": reverse("accounts:organisation_leave", args=[house.slug]),
        "accounts:membership_change": reverse("accounts:membership_change", args=[house.slug, world["membership"].pk]),
        "accounts:invitation_revoke": reverse("accounts:invitation_revoke", args=[house.slug, world["invitation"].pk]),
        "accounts:invitation_accept": reverse("accounts:invitation_accept", args=[world["invitation"].token]),
    }


#                                        anon  cit   other innov partn revw  organiser
GET = {
    "home": "200 200 200 200 200 200 200",
    "privacy": "200 200 200 200 200 200 200",
    "terms": "200 200 200 200 200 200 200",
    "city_css": "200 200 200 200 200 200 200",
    "language_switch": "405 405 405 405 405 405 405",
    "healthz": "200 200 200 200 200 200 200",
    "favicon.ico": "301 301 301 301 301 301 301",
    "account_login": "200 R R R R R R",
    "account_logout": "R 200 200 200 200 200 200",
    "account_inactive": "200 200 200 200 200 200 200",
    "account_signup": "200 R R R R R R",
    "account_reauthenticate": "L 200 200 200 200 200 200",
    "account_request_reauthentication_code": "L 200 200 200 200 200 200",
    "account_confirm_reauthentication_code": "L R R R R R R",
    "account_email": "L 200 200 200 200 200 200",
    "account_email_verification_sent": "200 200 200 200 200 200 200",
    "account_change_password": "L 200 200 200 200 200 200",
    "account_set_password": "L R R R R R R",
    "account_reset_password": "200 200 200 200 200 200 200",
    "account_confirm_login_code": "L R R R R R R",
    "account_confirm_email": "200 200 200 200 200 200 200",
    "account_reset_password_from_key_done": "200 200 200 200 200 200 200",
    "account_reset_password_from_key": "200 200 200 200 200 200 200",
    "account_reset_password_done": "200 200 200 200 200 200 200",
    "mfa_index": "L 200 200 200 200 200 200",
    "mfa_authenticate": "L R R R R R R",
    "mfa_reauthenticate": "L R R R R R 200",
    "mfa_activate_totp": "L R R R R R R",
    "mfa_deactivate_totp": "L 404 404 404 404 404 R",
    "mfa_view_recovery_codes": "L 404 404 404 404 404 404",
    "mfa_generate_recovery_codes": "L R R R R R R",
    "mfa_download_recovery_codes": "L 404 404 404 404 404 404",
    "notifications:list": "L 200 200 200 200 200 200",
    "notifications:read_all": "405 405 405 405 405 405 405",
    "notifications:preferences": "L 200 200 200 200 200 200",
    "notifications:open": "L R 404 404 404 404 404",
    "notifications:unsubscribe": "200 200 200 200 200 200 200",
    "accounts:profile": "L 200 200 200 200 200 200",
    "accounts:data_export": "L 200 200 200 200 200 200",
    "accounts:account_delete": "L 200 200 200 200 200 200",
    "accounts:organisation_list": "200 200 200 200 200 200 200",
    "accounts:organisation_create": "L 200 200 200 200 200 200",
    "accounts:organisation_detail": "200 200 200 200 200 200 200",
    "accounts:organisation_edit": "L 200 403 403 403 403 200",
    "accounts:organisation_members": "L 200 403 403 200 403 200",
    "accounts:organisation_leave": "405 405 405 405 405 405 405",
    "accounts:membership_change": "405 405 405 405 405 405 405",
    "accounts:invitation_revoke": "405 405 405 405 405 405 405",
    "accounts:invitation_accept": "L 200 200 200 200 200 200",
}
# Objects that belong to someone else, reached by changing the address.
GET_OTHERS = {
    "unverified organisation": (
        lambda w: reverse("accounts:organisation_detail", args=[w["lab"].slug]),
        "404 404 404 200 404 404 200",
    ),
    "unverified organisation's members": (
        lambda w: reverse("accounts:organisation_members", args=[w["lab"].slug]),
        "L 404 404 200 404 404 200",
    ),
}
# What a POST does (each persona on a fresh world, so one success cannot change the next).
POST = {
    "accounts:profile": ({"display_name": "New name", "preferred_language": "en", "district": ""}, "L R R R R R R"),
    "accounts:organisation_create": ({"name": "New lab", "kind": "company"}, "L R R R R R R"),
    "accounts:organisation_edit": (
        lambda w: {"name": w["house"].name, "kind": w["house"].kind, "description": "Changed.", "website": ""},
        "L R 403 403 403 403 R",
    ),
    # Organisers see an organisation's members; only its administrators invite.
    "accounts:organisation_members": ({"email": "newcomer@example.org", "role": "member"}, "L R 403 403 403 403 403"),
    "notifications:unsubscribe": ({}, "200 200 200 200 200 200 200"),
    "@edit an unverified organisation of another": (
        lambda w: reverse("accounts:organisation_edit", args=[w["lab"].slug]),
        lambda w: {"name": "Taken over", "kind": "company", "description": "", "website": ""},
        "L 404 404 R 404 404 R",
    ),
    "language_switch": ({"language": "nl", "next": "/"}, "R R R R R R R"),
    "notifications:read_all": ({}, "L R R R R R R"),
    "accounts:organisation_leave": ({}, "L R 403 403 R 403 403"),
    "accounts:membership_change": ({"action": "remove"}, "L R 403 403 403 403 403"),
    "accounts:invitation_revoke": ({}, "L R 403 403 403 403 403"),
    "accounts:data_export": ({}, "L 200 200 200 200 200 200"),
    "accounts:account_delete": ({"password": "wrong"}, "L 200 200 200 200 200 200"),
}

# The organiser's answer on each admin list (others: anonymous "L", everyone else 403). Organisers
# manage the core's apps; users they may look up, not change; groups, authenticators, email
# addresses and the beat schedules are the superusers'.
ADMIN = {
    "account.emailaddress": "403",
    "accounts.invitation": "200",
    "accounts.organisation": "200",
    "accounts.user": "200",
    "auth.group": "403",
    "city.cityprofile": "200",
    "city.district": "200",
    "city.topic": "200",
    "django_celery_beat.clockedschedule": "403",
    "django_celery_beat.crontabschedule": "403",
    "django_celery_beat.intervalschedule": "403",
    "django_celery_beat.periodictask": "403",
    "django_celery_beat.solarschedule": "403",
    "mfa.authenticator": "403",
    "notifications.emailpreference": "200",
    "notifications.notification": "200",
    "notifications.outgoingemail": "200",
}
