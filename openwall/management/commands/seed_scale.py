"""Benchmark data: many users, issues, votes and comments, fast and the same for a given seed.

    python manage.py seed_scale --issues 100000 --votes 1000000 --comments 200000 [--users 20000] [--seed 1]

Everything it creates belongs to users whose address ends in @scale.civicnet.test, so `--force`
can remove it again without touching anyone else. See docs/scale-data.md.
"""

import functools
import io
import random
import time
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from civicnet.accounts.models import User
from civicnet.city.models import CityProfile, District, Topic, site_language_codes
from civicnet.markdown import excerpt, markdown_render
from openwall.models import Comment, Issue, StoryStep, Vote
from openwall.services import trending_refresh

SCALE_DOMAIN = "scale.civicnet.test"
SCALE_EMAIL_SUFFIX = f"@{SCALE_DOMAIN}"
WINDOW = timedelta(days=730)  # issues are spread over the past two years
HOT_SHARE = 0.01  # issues that get a burst of votes in the last week ("trending")
HOT_RECENT_SHARE = 0.6  # share of a hot issue's votes that fall in the last week
VOTE_ZIPF = 0.7  # popularity exponent: with 100k issues and 1M votes the top issue gets ~10k
REPLY_SHARE = 0.15  # of the comments that could be replies (not an issue's first): ~10% of all
LANGUAGES = ("fr", "nl", "en")
STATUSES = [  # (status, weight)
    (Issue.Status.OPEN, 80),
    (Issue.Status.PRIORITISED, 6),
    (Issue.Status.IN_CALL, 4),
    (Issue.Status.BEING_TACKLED, 4),
    (Issue.Status.RESOLVED, 4),
    (Issue.Status.CLOSED, 2),
]
HIDDEN_SHARE = 0.005

# Word lists. Subjects are grouped by the brussels pack's topic slugs; other packs' topics draw from all of them.
SUBJECTS = {
    "consumption": [
        ("Bocaux consignés au marché", "Statiegeld op bokalen op de markt", "Deposit jars at the market"),
        ("Trop d'emballages plastiques", "Te veel plastic verpakkingen", "Too much plastic packaging"),
        ("Repair café à ouvrir", "Repair café openen", "Open a repair café"),
        ("Épicerie de quartier fermée", "Buurtwinkel gesloten", "Neighbourhood grocery closed"),
        ("Fontaines d'eau potable", "Drinkwaterfonteinen", "Drinking water fountains"),
    ],
    "production": [
        ("Potager urbain abandonné", "Verwaarloosde stadsmoestuin", "Abandoned urban vegetable garden"),
        ("Atelier partagé pour artisans", "Gedeeld atelier voor ambachtslui", "Shared workshop for makers"),
        ("Panneaux solaires sur les toits publics", "Zonnepanelen op openbare daken", "Solar panels on public roofs"),
        ("Compost collectif saturé", "Collectieve compost vol", "Community compost full"),
    ],
    "economics": [
        ("Commerces vides", "Leegstaande winkels", "Empty shop fronts"),
        ("Loyers commerciaux trop élevés", "Te hoge handelshuren", "Commercial rents too high"),
        ("Marché hebdomadaire à relancer", "Wekelijkse markt nieuw leven inblazen", "Revive the weekly market"),
        ("Monnaie locale peu acceptée", "Lokale munt weinig aanvaard", "Local currency rarely accepted"),
    ],
    "work": [
        ("Manque d'offres de stage", "Te weinig stageplaatsen", "Too few internships"),
        ("Coworking pour chercheurs d'emploi", "Coworking voor werkzoekenden", "Coworking space for job seekers"),
        ("Formations numériques introuvables", "Digitale opleidingen onvindbaar", "Digital training hard to find"),
        ("Garde d'enfants aux horaires décalés", "Kinderopvang voor ploegwerkers", "Childcare for shift workers"),
    ],
    "politics": [
        ("Conseil communal peu accessible", "Gemeenteraad moeilijk toegankelijk", "Council meetings hard to attend"),
        ("Budget participatif trop opaque", "Participatief budget te ondoorzichtig", "Participatory budget too opaque"),
        ("Consultation des habitants oubliée", "Inspraak van bewoners vergeten", "Residents not consulted"),
        ("Documents officiels dans une seule langue", "Officiële documenten in één taal", "Forms in one language only"),
    ],
    "education": [
        ("Cour de récréation sans verdure", "Speelplaats zonder groen", "School playground without greenery"),
        ("Rue scolaire à créer", "Schoolstraat invoeren", "Create a school street"),
        ("Bibliothèque fermée le samedi", "Bibliotheek op zaterdag gesloten", "Library closed on Saturdays"),
        ("Manque de places en crèche", "Tekort aan crècheplaatsen", "Not enough nursery places"),
        ("Cours de néerlandais complets", "Cursussen Nederlands volzet", "Dutch classes full"),
    ],
    "healthcare": [
        ("Maison médicale débordée", "Wijkgezondheidscentrum overbelast", "Community health centre overloaded"),
        ("Pollution de l'air près de l'école", "Luchtvervuiling bij de school", "Air pollution near the school"),
        ("Défibrillateur introuvable", "Geen AED te vinden", "No defibrillator nearby"),
        ("Toilettes publiques inexistantes", "Geen openbare toiletten", "No public toilets"),
        ("Bruit nocturne insupportable", "Ondraaglijk nachtlawaai", "Unbearable night-time noise"),
    ],
    "culture": [
        ("Centre culturel sans activités", "Cultureel centrum zonder activiteiten", "Cultural centre left idle"),
        ("Fresque murale dégradée", "Beschadigde muurschildering", "Damaged street mural"),
        ("Salle de répétition pour musiciens", "Repetitieruimte voor muzikanten", "Rehearsal space for musicians"),
        ("Fête de quartier annulée", "Buurtfeest afgelast", "Street party cancelled"),
    ],
    "urbanism": [
        ("Trottoir défoncé", "Kapot voetpad", "Broken pavement"),
        ("Nid-de-poule dangereux", "Gevaarlijke put in de weg", "Dangerous pothole"),
        ("Éclairage public en panne", "Straatverlichting defect", "Street lights out"),
        ("Piste cyclable interrompue", "Onderbroken fietspad", "Cycle lane stops abruptly"),
        ("Dépôts clandestins", "Sluikstorten", "Illegal dumping"),
        ("Passage piéton effacé", "Zebrapad vervaagd", "Faded zebra crossing"),
        ("Arbres abattus sans remplacement", "Gekapte bomen niet vervangen", "Felled trees never replaced"),
        ("Arrêt de tram sans abri", "Tramhalte zonder schuilhuisje", "Tram stop without shelter"),
        ("Stationnement sur le trottoir", "Parkeren op het voetpad", "Cars parked on the pavement"),
    ],
}
ALL_SUBJECTS = [subject for subjects in SUBJECTS.values() for subject in subjects]
PLACES = [  # French with its article, Dutch, English
    ("la rue de la Loi", "Wetstraat", "Rue de la Loi"),
    ("la place Flagey", "Flageyplein", "Place Flagey"),
    ("l'avenue Louise", "Louizalaan", "Avenue Louise"),
    ("la chaussée de Gand", "Gentsesteenweg", "Chaussée de Gand"),
    ("le parc de Forest", "Park van Vorst", "Forest Park"),
    ("la rue Haute", "Hoogstraat", "Rue Haute"),
    ("le boulevard Anspach", "Anspachlaan", "Boulevard Anspach"),
    ("la place Sainte-Catherine", "Sint-Katelijneplein", "Place Sainte-Catherine"),
    ("la rue Neuve", "Nieuwstraat", "Rue Neuve"),
    ("la chaussée d'Ixelles", "Elsensesteenweg", "Chaussée d'Ixelles"),
    ("la place du Jeu de Balle", "Vossenplein", "Place du Jeu de Balle"),
    ("le square Ambiorix", "Ambiorixsquare", "Square Ambiorix"),
    ("la gare du Midi", "Zuidstation", "Midi station"),
    ("la rue des Tanneurs", "Huidevettersstraat", "Rue des Tanneurs"),
    ("le parc Josaphat", "Josaphatpark", "Josaphat Park"),
    ("la place Liedts", "Liedtsplein", "Place Liedts"),
    ("la chaussée de Waterloo", "Waterloosesteenweg", "Chaussée de Waterloo"),
    ("l'avenue de la Couronne", "Kroonlaan", "Avenue de la Couronne"),
    ("la rue du Midi", "Zuidstraat", "Rue du Midi"),
    ("la place Bockstael", "Bockstaelplein", "Place Bockstael"),
]
TEXT = {
    "fr": {
        "near": ["près", "à côté", "en face", "aux abords"],
        "durations": ["plusieurs semaines", "trois mois", "l'été dernier", "deux ans", "le début des travaux"],
        "openings": [
            "Je signale un problème {near} ({district}) : {subject}.",
            "Depuis {duration}, nous constatons ceci {near}, à {district} : {subject}.",
            "Nous sommes plusieurs habitants de {district} à nous plaindre de la situation {near}.",
            "{subject}, {near} : le problème dure depuis {duration}.",
        ],
        "effects": [
            "Les enfants doivent marcher sur la chaussée pour aller à l'école.",
            "Les personnes âgées et les poussettes ont du mal à passer.",
            "C'est dangereux la nuit, surtout pour les cyclistes.",
            "Les riverains se plaignent régulièrement, sans résultat.",
            "La situation empire après chaque averse.",
            "Les commerçants du quartier perdent des clients.",
            "On ne se sent plus en sécurité le soir.",
            "Cela décourage les familles de rester dans le quartier.",
        ],
        "extras": [
            "J'ai déjà écrit à la commune, sans réponse.",
            "Des photos sont disponibles sur demande.",
            "Le problème revient chaque année.",
            "Les associations du coin sont prêtes à aider.",
            "C'est encore pire le week-end.",
            "Merci de soutenir cette proposition !",
        ],
        "requests": [
            "Pourrait-on prévoir {thing} ?",
            "Nous demandons à la commune d'installer {thing} avant l'hiver.",
            "Une réunion avec les habitants permettrait d'avancer.",
            "Qui peut nous aider à porter ce projet ?",
        ],
        "things": [
            "des bacs à plantes",
            "un ralentisseur",
            "des arceaux pour vélos",
            "un meilleur éclairage",
            "des poubelles supplémentaires",
            "des bancs à l'ombre",
            "une permanence hebdomadaire",
        ],
        "comments": [
            "Je confirme, c'est la même chose chez nous.",
            "Tout à fait d'accord, il faut agir vite.",
            "J'habite à deux rues et je vois le même problème tous les jours.",
            "La commune a été prévenue la semaine dernière.",
            "Bonne idée, je peux aider à organiser une réunion.",
            "Ce n'est pas si simple : des travaux sont déjà prévus.",
            "Merci pour ce signalement !",
            "On pourrait lancer une pétition.",
            "Même constat à {district}.",
            "Est-ce que quelqu'un a des nouvelles ?",
        ],
    },
    "nl": {
        "near": ["bij", "aan", "rond", "vlak bij"],
        "durations": ["enkele weken", "drie maanden", "vorige zomer", "twee jaar", "het begin van de werken"],
        "openings": [
            "Ik meld een probleem {near} ({district}): {subject}.",
            "Sinds {duration} zien we dit {near}, in {district}: {subject}.",
            "Veel bewoners van {district} klagen over de situatie {near}.",
            "{subject} {near}: het probleem sleept al {duration} aan.",
        ],
        "effects": [
            "Kinderen moeten op de rijweg lopen om naar school te gaan.",
            "Ouderen en kinderwagens kunnen er nauwelijks door.",
            "'s Nachts is het gevaarlijk, vooral voor fietsers.",
            "Buurtbewoners klagen geregeld, zonder resultaat.",
            "Na elke regenbui wordt het erger.",
            "De handelaars in de buurt verliezen klanten.",
            "'s Avonds voelt het niet meer veilig.",
            "Gezinnen verlaten daardoor de wijk.",
        ],
        "extras": [
            "Ik heb de gemeente al gemaild, zonder antwoord.",
            "Foto's zijn op aanvraag beschikbaar.",
            "Het probleem komt elk jaar terug.",
            "De verenigingen in de buurt willen helpen.",
            "In het weekend is het nog erger.",
            "Steun dit voorstel alsjeblieft!",
        ],
        "requests": [
            "Kan er {thing} komen?",
            "We vragen de gemeente om vóór de winter {thing} te plaatsen.",
            "Een vergadering met de bewoners zou helpen.",
            "Wie helpt ons dit project te dragen?",
        ],
        "things": [
            "plantenbakken",
            "een verkeersdrempel",
            "fietsbeugels",
            "betere verlichting",
            "extra vuilnisbakken",
            "schaduwrijke banken",
            "een wekelijks spreekuur",
        ],
        "comments": [
            "Klopt, bij ons is het net hetzelfde.",
            "Helemaal mee eens, er moet snel iets gebeuren.",
            "Ik woon twee straten verder en zie elke dag hetzelfde probleem.",
            "De gemeente is vorige week verwittigd.",
            "Goed idee, ik help graag een vergadering organiseren.",
            "Zo eenvoudig is het niet: er zijn al werken gepland.",
            "Bedankt voor de melding!",
            "We zouden een petitie kunnen starten.",
            "Hetzelfde in {district}.",
            "Heeft iemand nieuws?",
        ],
    },
    "en": {
        "near": ["near", "on", "around", "next to"],
        "durations": ["several weeks", "three months", "last summer", "two years", "the roadworks began"],
        "openings": [
            "Reporting a problem {near} ({district}): {subject}.",
            "Since {duration} we have seen this {near}, in {district}: {subject}.",
            "Many residents of {district} complain about the situation {near}.",
            "{subject} {near}: the problem has lasted {duration}.",
        ],
        "effects": [
            "Children have to walk in the road to get to school.",
            "Older people and prams can hardly get through.",
            "It is dangerous at night, especially for cyclists.",
            "Neighbours complain regularly, with no result.",
            "It gets worse after every rain shower.",
            "Local shops are losing customers.",
            "People no longer feel safe in the evening.",
            "Families are leaving the neighbourhood because of it.",
        ],
        "extras": [
            "I already wrote to the municipality, with no answer.",
            "Photos are available on request.",
            "The problem comes back every year.",
            "Local associations are ready to help.",
            "It is even worse at weekends.",
            "Please support this proposal!",
        ],
        "requests": [
            "Could we have {thing}?",
            "We ask the municipality to install {thing} before winter.",
            "A meeting with residents would help.",
            "Who can help us carry this project?",
        ],
        "things": [
            "planters",
            "a speed bump",
            "bike racks",
            "better lighting",
            "extra bins",
            "benches in the shade",
            "a weekly drop-in session",
        ],
        "comments": [
            "Same here, it is exactly the same in our street.",
            "Totally agree, something has to happen soon.",
            "I live two streets away and see the same problem every day.",
            "The municipality was told last week.",
            "Good idea, I can help organise a meeting.",
            "It is not that simple: works are already planned.",
            "Thanks for reporting this!",
            "We could start a petition.",
            "Same in {district}.",
            "Does anyone have news?",
        ],
    },
}


def _fr_de(place: str) -> str:
    """'de' + French place with its article: 'du parc', 'de la rue', 'de l'avenue'."""
    if place.startswith("le "):
        return "du " + place[3:]
    if place.startswith("les "):
        return "des " + place[4:]
    return "de " + place


def _name_in(obj, language: str) -> str:
    """A city-pack name in `language`, else in any language the pack has."""
    texts = obj.name_i18n or {}
    return texts.get(language) or next(iter(texts.values()), obj.slug)


def _near(lang: str, connector: str, place: tuple[str, str, str]) -> str:
    if lang == "fr":
        return f"{connector} {_fr_de(place[0])}"
    return f"{connector} {place[LANGUAGES.index(lang)]}"


@functools.lru_cache(maxsize=100_000)
def _html(text: str) -> str:
    """What the site stores for a text: the product's own renderer (texts repeat, so remember them)."""
    return markdown_render(text)


def _allocate(total: int, weights: list[float], cap: int) -> list[int]:
    """Split `total` into integers proportional to `weights`, none above `cap`; exact and deterministic."""
    counts = [0] * len(weights)
    active = list(range(len(weights)))
    remaining = total
    while active and remaining:
        scale = remaining / sum(weights[i] for i in active)
        capped = [i for i in active if weights[i] * scale >= cap]
        if capped:  # give these the maximum and share the rest among the others
            for i in capped:
                counts[i] = cap
            remaining -= cap * len(capped)
            capped_set = set(capped)
            active = [i for i in active if i not in capped_set]
            continue
        shares = [(weights[i] * scale, i) for i in active]
        for share, i in shares:
            counts[i] = int(share)
        leftover = remaining - sum(counts[i] for i in active)
        # Largest remainders first; the index breaks ties so the result never depends on float noise in sorting.
        for _fraction, i in sorted(((share - int(share), i) for share, i in shares), key=lambda x: (-x[0], x[1]))[
            :leftover
        ]:
            counts[i] += 1
        remaining = 0
    return counts


class Command(BaseCommand):
    help = "Fill the database with deterministic benchmark data (scale users, issues, votes, comments)."

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, default=100_000)
        parser.add_argument("--votes", type=int, default=1_000_000)
        parser.add_argument("--comments", type=int, default=200_000)
        parser.add_argument("--users", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--force", action="store_true", help="Delete the existing scale data (and only it) and create it again."
        )

    def handle(self, *args, issues, votes, comments, users, seed, batch_size, force, **options):
        self.verbosity = options["verbosity"]
        self.batch_size = batch_size
        if issues < 1 or users < 2 or votes < 0 or comments < 0 or batch_size < 1:
            raise CommandError("Need --issues >= 1, --users >= 2, --votes >= 0, --comments >= 0, --batch-size >= 1.")
        if votes > issues * (users - 1):
            raise CommandError(f"{votes} votes do not fit: at most {issues * (users - 1)} (one per user and issue).")
        started = time.monotonic()

        if not Topic.objects.exists():
            out = self.stdout if self.verbosity > 1 else io.StringIO()
            call_command("load_city_pack", "brussels", stdout=out)
            self.stdout.write("Loaded the brussels city pack.")

        self.city_name = CityProfile.current().name
        existing_users = User.objects.filter(email__endswith=SCALE_EMAIL_SUFFIX).count()
        if existing_users:
            scale_issues = Issue.objects.filter(author__email__endswith=SCALE_EMAIL_SUFFIX)
            existing = scale_issues.aggregate(n=Count("pk"), votes=Sum("vote_count"), comments=Sum("comment_count"))
            # Each table is loaded in a transaction of its own: an interrupted run leaves counters without rows.
            complete = (existing["votes"] or 0) == Vote.objects.filter(issue__in=scale_issues).count() and (
                existing["comments"] or 0
            ) == Comment.objects.filter(issue__in=scale_issues).count()
            if not force and complete and existing["n"] >= issues:
                self.stdout.write(
                    f"Scale data already there ({existing_users} users, {existing['n']} issues >= {issues}): "
                    "nothing to do. Use --force to create it again."
                )
                return
            if not force and not complete:
                self.stdout.write("Scale data incomplete (an interrupted run?): replacing it.")
            elif not force:
                self.stdout.write(f"Scale data too small ({existing['n']} issues < {issues}): replacing it.")
            self._delete()

        now = timezone.now()
        self.now_ts = now.timestamp()
        topics = list(Topic.objects.order_by("pk"))
        districts = list(District.objects.order_by("pk"))
        user_ids = self._users(users, seed)
        plan = self._plan(issues, votes, comments, users, seed)
        issue_ids = self._issues(plan, user_ids, topics, districts, seed)
        self._story_steps(plan, issue_ids, user_ids)
        self._votes(plan, issue_ids, user_ids, seed)
        self._analyze(User, Issue, StoryStep, Vote)
        self._trend_scores(now)
        self._comments(plan, issue_ids, user_ids, districts, seed)
        self._analyze(Comment)

        top = max(plan["votes"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data ready in {time.monotonic() - started:.1f}s: {users} users, {issues} issues, "
                f"{votes} votes (most on one issue: {top}; {sum(1 for n in plan['votes'] if n >= 1000)} issues "
                f"with 1000+), {comments} comments, {issues} story steps."
            )
        )

    # Helpers -------------------------------------------------------------------------------------------------

    def _dt(self, age_seconds: float) -> datetime:
        return datetime.fromtimestamp(self.now_ts - age_seconds, tz=UTC)

    def _insert(self, label: str, model, rows, total: int) -> list[int]:
        """bulk_create `rows` (an iterable of unsaved objects) in batches, in one transaction; returns the new ids."""
        started = time.monotonic()
        ids: list[int] = []
        batch: list = []
        done = 0
        step = max(self.batch_size, total // 10)
        next_report = step
        with transaction.atomic():
            for row in rows:
                batch.append(row)
                if len(batch) >= self.batch_size:
                    ids.extend(obj.pk for obj in model.objects.bulk_create(batch))
                    done += len(batch)
                    batch = []
                    if self.verbosity > 1 or done >= next_report:
                        self.stdout.write(f"  {label}: {done}/{total} ({time.monotonic() - started:.1f}s)")
                        next_report = done + step
            if batch:
                ids.extend(obj.pk for obj in model.objects.bulk_create(batch))
                done += len(batch)
        self.stdout.write(f"{label}: {done} rows in {time.monotonic() - started:.1f}s")
        return ids

    @staticmethod
    def _rng(seed: int, phase: str) -> random.Random:
        # One generator per phase, so changing one phase leaves the others' data as it was.
        return random.Random(f"{seed}:{phase}")  # noqa: S311 (reproducible benchmark data, not security)

    # Phases --------------------------------------------------------------------------------------------------

    def _delete(self):
        """Remove the scale users, their issues and everything hanging off them; nobody else's data."""
        started = time.monotonic()
        scale_users = User.objects.filter(email__endswith=SCALE_EMAIL_SUFFIX)
        scale_issues = Issue.objects.filter(author__email__endswith=SCALE_EMAIL_SUFFIX)
        with transaction.atomic():
            # Other issues a scale user voted for: their counters must follow the deleted votes.
            touched = list(
                Vote.objects.filter(user__in=scale_users)
                .exclude(issue__in=scale_issues)
                .values_list("issue_id", flat=True)
                .distinct()
            )
            # The bulk of the rows, in single statements (Vote has nothing hanging off it).
            Vote.objects.filter(Q(issue__in=scale_issues) | Q(user__in=scale_users)).delete()
            # Issues then users through the ORM, so that whatever else points at them cascades as declared.
            scale_issues.only("pk").delete()
            scale_users.only("pk").delete()
            if touched:
                count = Vote.objects.filter(issue=OuterRef("pk")).order_by().values("issue").annotate(n=Count("pk"))
                Issue.objects.filter(pk__in=touched).update(vote_count=Coalesce(Subquery(count.values("n")), 0))
        self.stdout.write(f"Deleted the previous scale data in {time.monotonic() - started:.1f}s")

    def _users(self, count: int, seed: int) -> list[int]:
        rng = self._rng(seed, "users")
        districts = list(District.objects.order_by("pk").values_list("pk", flat=True))
        joined_base = WINDOW.total_seconds()

        def rows():
            for n in range(1, count + 1):
                yield User(
                    email=f"scale{n}{SCALE_EMAIL_SUFFIX}",
                    display_name=f"Scale user {n}",
                    password=UNUSABLE_PASSWORD_PREFIX,  # scale users never sign in with a password
                    preferred_language=rng.choice(LANGUAGES),
                    district_id=rng.choice(districts) if districts and rng.random() < 0.7 else None,
                    date_joined=self._dt(joined_base + rng.uniform(0, 365 * 86400)),
                )

        self._insert("users", User, rows(), count)
        # Read the ids back by address: independent of whether the database returns them from bulk inserts.
        by_email = dict(User.objects.filter(email__endswith=SCALE_EMAIL_SUFFIX).values_list("email", "pk"))
        return [by_email[f"scale{n}{SCALE_EMAIL_SUFFIX}"] for n in range(1, count + 1)]

    def _plan(self, issues: int, votes: int, comments: int, users: int, seed: int) -> dict:
        """Who raised what when, and how many votes and comments each issue gets: cheap numbers, decided upfront."""
        started = time.monotonic()
        rng = self._rng(seed, "plan")
        window = WINDOW.total_seconds()
        # Issue ages in seconds, a little denser recently (the platform grows); never in the last minute.
        ages = [60 + window * (rng.random() ** 1.3) for _ in range(issues)]
        # Active users raise more: user index skewed towards the first ones.
        authors = [int(users * rng.random() ** 2) for _ in range(issues)]
        ranks = list(range(1, issues + 1))
        rng.shuffle(ranks)
        vote_counts = _allocate(votes, [rank**-VOTE_ZIPF for rank in ranks], users - 1)
        hot = set(rng.sample(range(issues), max(1, int(issues * HOT_SHARE)))) if votes else set()
        comment_counts = [0] * issues
        if comments:
            weights = [(n + 1) ** 0.8 for n in vote_counts]  # discussed where voted, less steeply
            for i in rng.choices(range(issues), weights=weights, k=comments):
                comment_counts[i] += 1
        self.stdout.write(f"plan: {issues} issues in {time.monotonic() - started:.1f}s")
        return {"ages": ages, "authors": authors, "votes": vote_counts, "comments": comment_counts, "hot": hot}

    def _issues(self, plan: dict, user_ids: list[int], topics, districts, seed: int) -> list[int]:
        rng = self._rng(seed, "issues")
        statuses, status_weights = zip(*STATUSES, strict=True)
        close_reasons = [choice for choice, _label in Issue.CloseReason.choices]
        allowed = site_language_codes()
        languages = [lang for lang in LANGUAGES if lang in allowed] or allowed

        plan["languages"] = []  # the comments are mostly in their issue's language

        def rows():
            for i, age in enumerate(plan["ages"]):
                lang = rng.choice(languages)
                plan["languages"].append(lang)
                li = LANGUAGES.index(lang) if lang in LANGUAGES else 2
                text = TEXT[lang] if lang in TEXT else TEXT["en"]
                topic = topics[rng.randrange(len(topics))]
                district = districts[rng.randrange(len(districts))] if districts and rng.random() < 0.95 else None
                district_name = _name_in(district, lang) if district else self.city_name
                subject = rng.choice(SUBJECTS.get(topic.slug) or ALL_SUBJECTS)[li]
                place = rng.choice(PLACES)
                near = _near(lang, rng.choice(text["near"]), place)
                form = rng.random()
                if form < 0.5:
                    title = f"{subject} {near}"
                elif form < 0.8:
                    title = f"{subject} ({district_name})"
                else:
                    title = f"{subject} {near}, n° {rng.randint(1, 250)}"
                words = {"near": near, "district": district_name, "duration": rng.choice(text["durations"])}
                sentences = [rng.choice(text["openings"]).format(subject=subject.lower(), **words)]
                sentences += rng.sample(text["effects"], rng.randint(1, 3))
                sentences += rng.sample(text["extras"], rng.randint(0, 2))
                first = " ".join(sentences)
                second = rng.choice(text["requests"]).format(thing=rng.choice(text["things"]))
                description = f"{first}\n\n{second}" if rng.random() < 0.3 else f"{first} {second}"
                status = rng.choices(statuses, weights=status_weights)[0]
                html = _html(description)
                yield Issue(
                    title=title[:140],
                    description=description,
                    description_html=html,
                    excerpt=excerpt(html),
                    topic=topic,
                    district=district,
                    author_id=user_ids[plan["authors"][i]],
                    language=lang,
                    status=status,
                    close_reason=rng.choice(close_reasons) if status == Issue.Status.CLOSED else "",
                    vote_count=plan["votes"][i],
                    comment_count=plan["comments"][i],
                    hidden=rng.random() < HIDDEN_SHARE,
                    created_at=self._dt(age),
                )

        ids = self._insert("issues", Issue, rows(), len(plan["ages"]))
        if len(ids) != len(plan["ages"]) or None in ids:
            raise CommandError("The database did not return the new issues' ids from bulk_create.")
        return ids

    def _story_steps(self, plan: dict, issue_ids: list[int], user_ids: list[int]):
        rows = (
            StoryStep(
                issue_id=issue_id,
                kind=StoryStep.Kind.RAISED,
                actor_id=user_ids[plan["authors"][i]],
                created_at=self._dt(plan["ages"][i]),
            )
            for i, issue_id in enumerate(issue_ids)
        )
        self._insert("story steps", StoryStep, rows, len(issue_ids))

    def _votes(self, plan: dict, issue_ids: list[int], user_ids: list[int], seed: int):
        rng = self._rng(seed, "votes")
        week = 7 * 86400
        users = len(user_ids)

        def rows():
            for i, issue_id in enumerate(issue_ids):
                count = plan["votes"][i]
                if not count:
                    continue
                age, author, hot = plan["ages"][i], plan["authors"][i], i in plan["hot"]
                # Distinct voters, never the author: sample among the others, then skip over the author's index.
                for voter in rng.sample(range(users - 1), count):
                    if hot and rng.random() < HOT_RECENT_SHARE:
                        vote_age = min(week, age) * rng.random() ** 2  # a burst, mostly in the last days
                    else:
                        vote_age = age * (1 - rng.random() ** 2)  # most votes soon after the issue is raised
                    yield Vote(
                        issue_id=issue_id,
                        user_id=user_ids[voter + 1 if voter >= author else voter],
                        created_at=self._dt(vote_age),
                    )

        self._insert("votes", Vote, rows(), sum(plan["votes"]))

    def _analyze(self, *models):
        """PostgreSQL: fresh planner statistics now, not whenever autovacuum gets to it.

        Without them the trend score update right after the load takes minutes instead of seconds,
        and the first benchmark queries run on plans made for empty tables.
        """
        if connection.vendor != "postgresql":
            return
        started = time.monotonic()
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(f"analyze: {len(models)} tables in {time.monotonic() - started:.1f}s")

    def _trend_scores(self, now: datetime):
        """Issue.trend_score as the app keeps it: recomputed from the last week's votes in one statement."""
        started = time.monotonic()
        with transaction.atomic():
            touched = trending_refresh(now=now)
        self.stdout.write(f"trend scores: {touched} issues in {time.monotonic() - started:.1f}s")

    def _comments(self, plan: dict, issue_ids: list[int], user_ids: list[int], districts, seed: int):
        """Top-level comments first (their ids are needed), then the replies to them."""
        rng = self._rng(seed, "comments")
        users = len(user_ids)
        names = {lang: [_name_in(d, lang) for d in districts] or [self.city_name] for lang in TEXT}
        replies: list[tuple] = []  # (issue index, index among top-level comments, author, body, age)

        def body_for(lang: str) -> str:
            lang = lang if lang in TEXT and rng.random() < 0.8 else rng.choice(LANGUAGES)
            picked = rng.sample(TEXT[lang]["comments"], rng.randint(1, 3))
            return " ".join(picked).format(district=rng.choice(names[lang]))

        def top_level():
            top_index = 0
            for i, issue_id in enumerate(issue_ids):
                count = plan["comments"][i]
                if not count:
                    continue
                age = plan["ages"][i]
                lang = plan["languages"][i]
                ages = sorted((age * (1 - rng.random() ** 1.5) for _ in range(count)), reverse=True)
                tops: list[int] = []  # global top-level indexes of this issue's comments so far
                for comment_age in ages:
                    author = int(users * rng.random() ** 2)
                    body = body_for(lang)
                    if tops and rng.random() < REPLY_SHARE:
                        replies.append((i, rng.choice(tops), author, body, comment_age))
                        continue
                    tops.append(top_index)
                    top_index += 1
                    yield Comment(
                        issue_id=issue_id,
                        author_id=user_ids[author],
                        body=body,
                        body_html=_html(body),
                        created_at=self._dt(comment_age),
                    )

        top_ids = self._insert("comments", Comment, top_level(), sum(plan["comments"]))
        reply_rows = (
            Comment(
                issue_id=issue_ids[i],
                parent_id=top_ids[parent],
                author_id=user_ids[author],
                body=body,
                body_html=_html(body),
                created_at=self._dt(age),
            )
            for i, parent, author, body, age in replies
        )
        self._insert("replies", Comment, reply_rows, len(replies))
