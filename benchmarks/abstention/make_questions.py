"""The abstention calibration set: answerable and near-miss unanswerable questions over the Django 5.2 docs.

    ./perimeter python benchmarks/abstention/make_questions.py --corpus /tmp/abst-state/corpus/django-docs-5.2.19

Writes ``benchmarks/abstention/questions.jsonl`` (the dev-eval ``qa.jsonl`` format plus
``split``, ``group`` and, for unanswerable items, ``absent``: strings that must occur
nowhere in the corpus, or ``version``: a release without release notes in the corpus).
Deterministic: same corpus, same file. ``verify_questions.py`` checks it.

Kinds:

- answerable: the 34 of ``../shared/dev-eval/qa.jsonl`` (kind kept); ``setting_default``
  and ``setting_purpose`` (``ref/settings.txt``), ``command_purpose``
  (``ref/django-admin.txt``), ``filter_purpose`` (``ref/templates/builtins.txt``) generated
  from the reference pages with the gold strings taken from them; ``release`` written by hand.
- unanswerable: ``version_mismatch`` (a Django release the docs do not cover),
  ``sibling_product`` (another framework or tool, asked with a parameter name the docs
  document for Django), ``policy`` (HR, finance, IT policy over a technical corpus),
  ``other`` (features, settings and integrations Django does not have), plus the dev set's 6.

The split is by ``group`` (a template or an entity), about 35% held out, so a held-out
question never shares its template with a calibration one.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[2] / "shared" / "dev-eval" / "qa.jsonl"
HELDOUT_SHARE = 0.35

# --- unanswerable, by hand ------------------------------------------------------------------
FUTURE = ["5.3", "6.0", "6.1", "6.2", "7.0", "7.1", "8.0"]
VERSION_TEMPLATES = [
    "Which Python versions does Django {v} support?",
    "What is the default iteration count of the PBKDF2 password hasher in Django {v}?",
    "Which new form widgets were added in Django {v}?",
    "What are the major new features in the Django {v} release notes?",
    "What is the oldest PostgreSQL version that Django {v} supports?",
    "Which management command options were added to migrate in Django {v}?",
    "In Django {v}, what does the shell command import automatically?",
    "Which deprecated features are removed in the Django {v}.1 bugfix release?",
    "What new database backends ship with Django {v}?",
    "How did the default of DEFAULT_AUTO_FIELD change in Django {v}?",
    "Which new template filters were introduced in Django {v}?",
    "What backwards incompatible changes does Django {v} make to the ORM?",
    "Which security fixes are included in Django {v}.3?",
    "What changed in the admin's change list in Django {v}?",
    "Which new QuerySet methods does Django {v} add?",
    "Does Django {v} still support MySQL 8.0.11?",
    "What is the minimum supported version of Oracle in Django {v}?",
    "Which new system checks were added in Django {v}?",
]
SIBLINGS = {
    "Flask": ["What is the default value of SESSION_COOKIE_AGE in Flask?",
              "How do I set ALLOWED_HOSTS in a Flask application?",
              "Which Flask CLI command applies database migrations with --fake?"],
    "FastAPI": ["How do I enable CsrfViewMiddleware in FastAPI?",
                "What does the DEFAULT_AUTO_FIELD option do in FastAPI?",
                "How does FastAPI's get_object_or_404 helper work?"],
    "Laravel": ["What is the default value of CSRF_COOKIE_AGE in Laravel?",
                "Which Laravel artisan command is the equivalent of makemigrations --check?"],
    "Ruby on Rails": ["In Ruby on Rails, which option of db:migrate records migrations without running them?",
                      "How do I use select_related in Ruby on Rails ActiveRecord?",
                      "What is the default SESSION_ENGINE in Ruby on Rails?"],
    "Spring Boot": ["What is the default value of DATA_UPLOAD_MAX_NUMBER_FIELDS in Spring Boot?",
                    "How do I configure STATIC_ROOT in Spring Boot?"],
    "Symfony": ["How do I mark a field as blank=True in a Symfony Doctrine entity?",
                "What does the X_FRAME_OPTIONS setting default to in Symfony?"],
    "Django REST framework": ["What is the default PAGE_SIZE setting in Django REST framework?",
                              "Which DEFAULT_PERMISSION_CLASSES does Django REST framework use out of the box?",
                              "How do I use ModelViewSet with select_related in Django REST framework?"],
    "Celery": ["What is the default value of CELERY_TASK_TIME_LIMIT?",
               "How do I run a Celery task after transaction.on_commit in Celery 5.4?"],
    "Wagtail": ["How do I add a StreamField block to a Wagtail page model?",
                "Which Wagtail setting replaces LOGIN_URL for the Wagtail admin?"],
    "SQLAlchemy": ["How do I configure the SQLAlchemy session pool_size for a Django project?",
                   "What does the SQLAlchemy equivalent of QuerySet.iterator(chunk_size) look like?"],
    "Express": ["How do I set SESSION_COOKIE_SECURE in an Express.js app?",
                "Which Express.js middleware implements CSRF_TRUSTED_ORIGINS?"],
    "Angular": ["How do I read the CSRF_COOKIE_NAME cookie from Angular's HttpClient interceptor config?",
                "What is the default XSRF header name that Angular's HttpClient sends?"],
    "React": ["How do I render a Django form with React Hook Form's useForm?",
              "Which React hook reads the csrftoken cookie automatically?"],
    "Pyramid": ["What is the Pyramid equivalent of MIDDLEWARE ordering for tweens?",
                "How do I set SECRET_KEY_FALLBACKS in Pyramid?"],
    "django-allauth": ["Which django-allauth setting enables email verification on signup?",
                       "How do I add Google login with django-allauth's SOCIALACCOUNT_PROVIDERS?"],
    "django-debug-toolbar": ["Which panel of django-debug-toolbar 4.4 shows SQL queries by default, and how do I "
                             "set its SHOW_TOOLBAR_CALLBACK?",
                             "What is the default INTERNAL_IPS handling in django-debug-toolbar's DEBUG_TOOLBAR_CONFIG?"],
    "MongoDB": ["Which Django database ENGINE string connects to MongoDB Atlas?",
                "How do I set CONN_MAX_AGE for the MongoDB backend?"],
    "Jinja2 standalone": ["In standalone Jinja2 3.1 outside Django, what is the default value of trim_blocks?",
                          "Which Jinja2 3.1 Environment option enables the do extension without Django?"],
    "gunicorn": ["What is gunicorn's default --timeout in seconds?",
                 "How many gunicorn workers does the --workers default start?"],
    "Heroku": ["Which Heroku config var sets DATABASE_URL for a Django app on Heroku?",
               "How do I run collectstatic during a Heroku release phase?"],
}
POLICY = [
    "How many vacation days do new employees get in their first year?",
    "What is the per diem for business travel to London?",
    "Who approves purchase orders above 5,000 euros?",
    "How do I submit an expense report for a client dinner?",
    "What is the company policy on working from home on Fridays?",
    "How long is the probation period for new hires?",
    "When is payroll processed each month?",
    "How many sick days can I take before a doctor's note is required?",
    "What is the parental leave policy for the second parent?",
    "What is the minimum password length for company laptops?",
    "How often must employees rotate their VPN passwords?",
    "Which user group approves overtime requests?",
    "What is the reimbursement limit for home office equipment?",
    "How do I request access to the finance team's shared drive?",
    "What is the notice period when resigning after two years?",
    "Can I carry over unused holiday to next year, and how many days?",
    "What is the mileage allowance per kilometre for using my own car?",
    "Who do I contact to report harassment at work?",
    "How much is the annual training budget per employee?",
    "What is the dress code for client meetings?",
    "Which expenses need a receipt, and what is the threshold amount?",
    "How are bonuses calculated at the end of the fiscal year?",
    "What is the session timeout for the HR portal?",
    "How long do we keep personal data of rejected job applicants?",
    "What is the approval workflow for new software licences?",
    "How do I book a meeting room for more than 20 people?",
    "When does the fiscal year start for budgeting purposes?",
    "What is the company's policy on accepting gifts from suppliers?",
    "How many days of compassionate leave are employees entitled to?",
    "What is the cache retention period for customer invoices under our finance policy?",
    "Which template must I use for a quarterly board report?",
    "How do I change my bank account for salary payments?",
    "What is the maximum hotel rate per night on business trips?",
    "Who signs off on contracts over 100,000 dollars?",
    "What are the core working hours for the support team?",
    "How do I enroll in the company pension plan?",
    "What is the on-call compensation per weekend?",
    "How many employees can work remotely from abroad, and for how long?",
    "What is the escalation path for a security incident in the payments team?",
    "Which laptop models are approved for developers this year?",
    "How do I report a lost company phone?",
    "What are the rules for using the company credit card for subscriptions?",
]
OTHER = [
    "What is the default value of the LOGIN_ATTEMPTS_LIMIT setting?",
    "How do I turn on the ORM_QUERY_CACHE_TTL setting?",
    "What does the ADMIN_DARK_MODE_DEFAULT setting control?",
    "Which signal does Django send to Apache Kafka when a model is saved?",
    "What URL does Django's built-in GraphQL endpoint live at?",
    "How do I enable the built-in TOTP two-factor login in the admin?",
    "What liveness probe does Django's official Helm chart define?",
    "How do I configure the built-in Redis Streams event bus in Django?",
    "What does the manage.py optimizequeries command do?",
    "Which option of runserver enables automatic HTTP/3 support?",
    "How do I use QuerySet.vector_search() with the HNSW parameters?",
    "What is the default value of MIGRATION_LOCK_TIMEOUT?",
    "How do I enable the admin's built-in audit-log export to Splunk?",
    "Which template filter translates text with DeepL?",
    "What does the `render_markdown` template tag in django.contrib.humanize return?",
    "How do I configure Django's built-in Terraform provider?",
    "What is the default rate limit of django.contrib.auth's login throttling?",
    "How do I set up the built-in Elasticsearch full-text backend?",
    "Which exception does Model.soft_delete() raise for protected relations?",
    "What does the PASSWORD_EXPIRY_DAYS setting default to?",
    "How do I enable automatic OpenAPI schema generation in Django's URL resolver?",
    "Which Prometheus metrics does Django export by default?",
    "How do I use the @cached_query decorator on a manager method?",
    "What does the STATICFILES_CDN_PURGE setting do?",
    "Which field type stores encrypted values with FIELD_ENCRYPTION_KEY?",
    "What is the default of the DATABASE_READ_REPLICA_LAG setting?",
    "How do I enable WebAuthn passkeys in django.contrib.auth?",
    "What port does Django's built-in SMTP server listen on by default?",
    "Which management command exports the admin log as CSV?",
    "How do I turn on the async ORM connection pooler called AsyncPoolRouter?",
]

# --- answerable, by hand (gold checked by verify_questions.py) ------------------------------
RELEASE = [
    ("Which Python versions does Django 5.1 support?", ["releases/5.1.txt"], ["3.10", "3.13"]),
    ("Which Python versions does Django 5.0 support?", ["releases/5.0.txt"], ["3.10", "3.12"]),
    ("What Python versions does Django 4.2 support?", ["releases/4.2.txt"], ["3.8", "3.11"]),
    ("In Django 5.0, what new model field lets a column be computed by the database?",
     ["releases/5.0.txt"], ["GeneratedField"]),
    ("Which Django 5.0 option sets a default value computed by the database?", ["releases/5.0.txt"],
     ["db_default"]),
    ("Which template tag did Django 5.1 add to build URL query strings?", ["releases/5.1.txt"],
     ["querystring"]),
    ("Which middleware was added in Django 5.1 to require login on all views by default?", ["releases/5.1.txt"],
     ["LoginRequiredMiddleware"]),
    ("What is the oldest PostgreSQL version supported by Django 5.2?", ["ref/databases.txt"], ["14"]),
    ("In Django 4.2, which psycopg major version became supported?", ["releases/4.2.txt"], ["psycopg 3"]),
    ("In Django 4.1, what kind of handler methods can class-based views now define?", ["releases/4.1.txt"],
     ["async"]),
    ("When was Django 3.2 LTS released?", ["releases/3.2.txt"], ["April 6, 2021"]),
    ("Which timezone implementation became the default in Django 4.0?", ["releases/4.0.txt"],
     ["zoneinfo"]),
    ("In Django 5.2, which new argument of redirect() keeps the request method and body?",
     ["releases/5.2.txt"], ["preserve_request"]),
    ("What new field class does Django 5.2 provide for composite primary keys?", ["releases/5.2.txt"],
     ["CompositePrimaryKey"]),
    ("Which Django 4.2 feature lets you add comments on database tables and columns?", ["releases/4.2.txt"],
     ["db_comment"]),
    ("In Django 5.1, which new setting or function lets a SQLite connection set init_command?",
     ["releases/5.1.txt"], ["init_command"]),
    ("Which release of Django introduced the Field.db_default option?", ["releases/5.0.txt"], ["db_default"]),
    ("Which Django 5.0 admin feature shows counts next to each list filter choice?", ["releases/5.0.txt"], ["facet"]),
]

_SETTING = re.compile(r"^\.\. setting:: (\S+)\n\n``\1``\n-+\n\n(.*?)(?=^\.\. setting::|\Z)", re.M | re.S)
_DEFAULT = re.compile(r"^Default: ``([^`]+)``", re.M)
_COMMAND = re.compile(r"^\.\. django-admin:: (\w+)[^\n]*\n\n(.+?)\n\n", re.M | re.S)
_FILTER = re.compile(r"^\.\. templatefilter:: (\w+)\n\n``\1``\n-+\n\n(.+?)\n\n", re.M | re.S)
_ROLE = re.compile(r":\w+:`~?([^`<]+?)(?:\s*<[^>]+>)?`")


def _plain(text: str) -> str:
    text = _ROLE.sub(r"\1", text).replace("``", "")
    return " ".join(text.split())


def _first_sentence(text: str) -> str:
    text = _plain(text)
    return re.split(r"(?<=[a-z)])\. ", text)[0].rstrip(".")


def _lower_first(s: str) -> str:
    first = s.split()[0] if s else ""
    return s if len(first) > 1 and first.isupper() else s[:1].lower() + s[1:]


def _clean(desc: str) -> bool:
    """A first sentence that reads as the end of a question (no cut abbreviation, no markup left)."""
    return not any(bad in desc for bad in ("(e.g", "(i.e", "\\", "`", "..", "By default", ":")) and not desc.startswith(
        ("If", "When", "Given", "Similar", "This", "See", "Deprecated"))


def settings_questions(corpus: Path, rng: random.Random) -> list[dict]:
    text = (corpus / "ref/settings.txt").read_text(encoding="utf-8")
    defaults, purposes = [], []
    phrasings = ["What is the default value of {s}?", "If I never set {s}, what value does Django use?",
                 "What does {s} default to?", "Out of the box, what is {s} set to?"]
    for name, body in _SETTING.findall(text):
        m = _DEFAULT.search(body)
        after = body[m.end():] if m else body
        paras = [p for p in after.split("\n\n") if p.strip() and not p.startswith((" ", ".."))]
        if m:
            value = m.group(1).strip().strip("'\"")
            if len(value) >= 3 and value not in ("True", "False", "None") and not value.startswith(("[", "{", "(")):
                defaults.append({"question": rng.choice(phrasings).format(s=name), "gold": ["ref/settings.txt"],
                                 "answer_must_contain": [value], "kind": "setting_default", "group": f"s:{name}",
                                 "answer": f"{value}"})
        if paras:
            desc = _first_sentence(paras[0])
            if 25 <= len(desc) <= 140 and name not in desc and _clean(desc):
                if desc.startswith("Whether"):
                    q = f"Which setting controls {_lower_first(desc)}?"
                elif desc.split()[0] in ("The", "A", "An"):
                    q = f"Which setting holds {_lower_first(desc)}?"
                elif desc.split()[0].endswith("s") and desc.split()[0].istitle():  # a verb: "Determines ..."
                    q = f"Which setting {_lower_first(desc)}?"
                else:  # a noun phrase: "Subject-line prefix for ..."
                    q = f"Which setting holds the {_lower_first(desc)}?"
                purposes.append({"question": q, "gold": ["ref/settings.txt"], "answer_must_contain": [name],
                                 "kind": "setting_purpose", "group": f"s:{name}", "answer": name})
    rng.shuffle(defaults)
    rng.shuffle(purposes)
    used = {d["group"] for d in defaults[:32]}
    return defaults[:32] + [p for p in purposes if p["group"] not in used][:24]


def commands_questions(corpus: Path, rng: random.Random) -> list[dict]:
    text = (corpus / "ref/django-admin.txt").read_text(encoding="utf-8")
    out = []
    for name, body in _COMMAND.findall(text):
        desc = _first_sentence(body)
        if name in ("help", "version") or not 20 <= len(desc) <= 160 or name in desc or not _clean(desc):
            continue
        desc = re.sub(r"^(Runs?|Uses) ", lambda m: m.group(1).lower() + " ", desc)
        out.append({"question": f"Which django-admin command {_lower_first(desc)}?",
                    "gold": ["ref/django-admin.txt"], "answer_must_contain": [name], "kind": "command_purpose",
                    "group": f"c:{name}", "answer": name})
    rng.shuffle(out)
    return out[:16]


def filters_questions(corpus: Path, rng: random.Random) -> list[dict]:
    text = (corpus / "ref/templates/builtins.txt").read_text(encoding="utf-8")
    out = []
    for name, body in _FILTER.findall(text):
        desc = _first_sentence(body)
        if not 15 <= len(desc) <= 140 or name in desc.lower() or not _clean(desc):
            continue
        out.append({"question": f"Which template filter {_lower_first(desc)}?",
                    "gold": ["ref/templates/builtins.txt"], "answer_must_contain": [name],
                    "kind": "filter_purpose", "group": f"f:{name}", "answer": name})
    rng.shuffle(out)
    return out[:20]


def unanswerable_questions(rng: random.Random) -> list[dict]:
    out = []
    for t, template in enumerate(VERSION_TEMPLATES):
        for v in rng.sample(FUTURE, 3):
            out.append({"question": template.format(v=v), "kind": "version_mismatch", "group": f"v:{t}",
                        "version": f"Django {v}"})
    for product, questions in SIBLINGS.items():
        for q in questions:
            out.append({"question": q, "kind": "sibling_product", "group": f"p:{product}"})
    for n, q in enumerate(POLICY):
        out.append({"question": q, "kind": "policy", "group": f"h:{n}"})
    for n, q in enumerate(OTHER):
        out.append({"question": q, "kind": "other", "group": f"o:{n}"})
    for item in out:
        item.update(gold=[], answer_must_contain=[], answer="")
    return out


def split_of(group: str) -> str:
    h = int(hashlib.sha256(group.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "heldout" if h < HELDOUT_SHARE else "calibration"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--out", type=Path, default=HERE / "questions.jsonl")
    args = parser.parse_args()
    rng = random.Random(12)
    items = []
    for d in map(json.loads, args.dev.read_text(encoding="utf-8").splitlines()):
        d["group"] = f"dev:{d['id']}"
        if d["kind"] == "unanswerable":
            d["kind"] = "other"
        items.append(d)
    items += settings_questions(args.corpus, rng) + commands_questions(args.corpus, rng)
    items += filters_questions(args.corpus, rng)
    items += [{"question": q, "gold": g, "answer_must_contain": m, "kind": "release", "group": f"r:{n}",
               "answer": " ".join(m)} for n, (q, g, m) in enumerate(RELEASE)]
    items += unanswerable_questions(rng)
    with args.out.open("w", encoding="utf-8") as fh:
        for n, item in enumerate(items, 1):
            item.setdefault("id", f"a{n:03d}")
            item["split"] = split_of(item["group"])
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    answerable = [i for i in items if i["gold"]]
    for split in ("calibration", "heldout"):
        a = sum(1 for i in answerable if i["split"] == split)
        u = sum(1 for i in items if not i["gold"] and i["split"] == split)
        print(f"{split}: {a} answerable, {u} unanswerable")
    print(f"wrote {len(items)} questions to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
