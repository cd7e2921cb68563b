"""The Open Wall's personal parts of shared pages (civicnet.personal): a vote button is the only one."""

from civicnet.personal import Kind

from .models import Vote


def _voted(request, keys: list[str]) -> dict[str, str]:
    """One query for the whole page: which of its issues this person votes for."""
    pks = [int(key) for key in keys]
    voted = Vote.objects.filter(user=request.user, issue_id__in=pks).values_list("issue_id", flat=True)
    return {str(pk): "voted" for pk in voted}


# The first variant is what a person sees unless `choose` says otherwise.
VOTE = Kind(name="vote", variants={"not_voted": {"voted": False}, "voted": {"voted": True}}, choose=_voted)
