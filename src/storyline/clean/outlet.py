"""Outlet name of a plain-text page dump, from its masthead and its furniture.

Candidates come from several kinds of evidence, each with a weight; the same name found by different
kinds adds up (agreement), and a name that matches the URL's registrable domain gets a bonus:

* masthead: a line that is only "- Outlet", and " - Outlet" / " | Outlet" suffixes of titles/captions;
* copyright: "© 2024 Outlet. All rights reserved", "Copyright (c) Outlet", "Outlet ©";
* legal entity: "Outlet SAS — Contact", "Outlet GmbH | Impressum", "ООО «Outlet»";
* group membership: "Outlet, a member of …", "Outlet fait partie du groupe …", "Outlet ist ein Angebot …",
  "Outlet входит в …";
* social follow: "Follow Outlet on X", "Suivez Outlet sur …", "Folgen Sie Outlet auf …",
  "Подписывайтесь на Outlet в …", "Outlet on Facebook", "Outlet Facebook:";
* sign-off: "Reporter Name, Outlet." at the end of a broadcast script, "<Outlet> <reporter>입니다".

When no text names the outlet, the URL's registrable domain gives a display name ("nurinews.example" ->
"Nurinews").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from storyline.clean.lines import _TEASER, _WIDGET, Line, site_suffix

MAX_NAME_CHARS = 60
_NAME = r"(?P<name>[^\W\d_][\w'’&.\- ]{0,58}?)"  # starts with a letter; words, apostrophes, dots, hyphens
_SOCIAL = (r"facebook|twitter|x|instagram|telegram|youtube|linkedin|tiktok|threads|mastodon|bluesky|vk|"
           r"вконтакте|одноклассниках|дзен|whatsapp|kakao(talk)?|naver|카카오톡|페이스북|트위터|인스타그램|유튜브")
_ENTITY = (r"SAS|SASU|SA|SARL|S\.A\.S?\.?|GmbH|AG|KG|GmbH & Co\. KG|e\.V\.|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|"
           r"PLC|plc|Corp\.?|Corporation|S\.p\.A\.|S\.r\.l\.|S\.L\.|B\.V\.|N\.V\.|Oy|AB|ASA|Co\., ?Ltd\.?")
_RIGHTS = (r"all rights reserved|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados|"
           r"tutti i diritti riservati|все права защищены|무단 ?전재|저작권|版权所有")
# (pattern, weight, kind); each pattern has a group "name"
PATTERNS: list[tuple[re.Pattern[str], float, str]] = [
    (re.compile(rf"(?:©|\(c\)|copyright|&copy;)\s*(?:©\s*)?(?:(?:19|20)\d{{2}}(?:\s*[-–—/]\s*(?:19|20)?\d{{2,4}})?\s*,?\s*)?"
                rf"{_NAME}\s*(?:[.,|·•—–-]|\s(?:{_ENTITY})\b|\s(?:{_RIGHTS})|$)", re.I), 3.0, "copyright"),
    (re.compile(rf"^{_NAME}\s*(?:©|\(c\))\s*(?:19|20)\d{{2}}", re.I), 3.0, "copyright"),
    (re.compile(rf"^{_NAME},?\s+(?:{_ENTITY})(?:\s*[—–|·•,-]|\s*$)"), 3.0, "legal"),
    (re.compile(r"^(?:ООО|АО|ОАО|ЗАО|ПАО|ФГУП)\s+[«\"„](?P<name>[^»\"“]{2,58})[»\"“]"), 3.0, "legal"),
    (re.compile(rf"^{_NAME},\s+(?:(?:a|an|the)\s+)?(?:member|part|division|unit|publication|brand|subsidiary|title)"
                r"\s+of\b", re.I), 3.0, "member"),
    (re.compile(rf"^{_NAME},?\s+(?:est\s+)?(?:membre|fait partie|une publication|un titre|une marque)\s+d[eu]",
                re.I), 3.0, "member"),
    (re.compile(rf"^{_NAME},?\s+(?:ist\s+)?(?:ein Angebot|eine Marke|ein Titel|Teil|Mitglied)\s+(?:der|des|von)\b"),
     3.0, "member"),
    (re.compile(rf"^{_NAME}\s+(?:входит в|является частью|—\s*(?:часть|член|издание))\b", re.I), 3.0, "member"),
    (re.compile(rf"^(?:follow|like)\s+(?!us\b){_NAME}\s+on\s+(?:{_SOCIAL})\b", re.I), 2.0, "social"),
    (re.compile(rf"^suivez\s+(?!-nous\b|nous\b){_NAME}\s+sur\s+(?:{_SOCIAL})\b", re.I), 2.0, "social"),
    (re.compile(rf"^folgen sie\s+(?!uns\b){_NAME}\s+(?:auf|bei)\s+(?:{_SOCIAL})\b", re.I), 2.0, "social"),
    (re.compile(rf"^(?:подписывайтесь на|читайте|следите за)\s+(?!нас\b){_NAME}\s+(?:в|на)\s+(?:{_SOCIAL})\b",
                re.I), 2.0, "social"),
    (re.compile(rf"^{_NAME}\s+(?:on|sur|auf|в|на)?\s*(?:{_SOCIAL})\s*:?$", re.I), 2.0, "social"),
    (re.compile(r"^[A-ZА-ЯЁ][\w'’-]+(?:\s+[A-ZА-ЯЁ][\w'’.-]+){1,2},\s+(?P<name>[^\W\d_][\w'’&\- ]{1,40}?)\.$"),
     1.0, "signoff"),
    (re.compile(r"(?:^|[.!?]\s+)(?P<name>[^\W\d_][\w ]{1,20}?)\s+[가-힣]{2,4}\s*(?:기자)?입니다\.?$"), 1.0, "signoff"),
]
# words that are furniture, never an outlet name by themselves
_NOT_NAME = re.compile(
    r"^(the|us|our|home|share|like|follow|subscribe|contact|about|privacy|terms|newsletter|menu|search|"
    r"more|news|photo|video|image|getty images|reuters|afp|ap|dpa|all|rights|reserved|page|site|website|"
    r"this|this site|the site|the author|author|nous|uns|нас|источник|source|quelle|comments?)$",
    re.I,
)
# widget verbs and pronouns that start furniture phrases ("Partager sur Facebook", "Suivez-nous")
_WIDGET_START = re.compile(
    r"^(share|sharing|follow|like|join|find|connect|partag|suiv|nous|rejoign|retrouv|abonn|teil|folg|"
    r"uns|compart|sigue|condividi|segui|поделит|подпис|мы|наш|присоедин|공유|구독)", re.I)
_CREDIT_WORDS = re.compile(r"\b(photo|foto|фото|image|bild|picture|getty|illustration|caption)\b", re.I)
_RIGHTS_RE = re.compile(_RIGHTS, re.I)
_STRIP = " .,:;|·•—–-\"'«»“”„"


def _clean_name(name: str) -> str | None:
    name = " ".join(name.split()).strip(_STRIP)
    name = re.sub(r"^(?:(?:19|20)\d{2}\s*)+", "", name).strip(_STRIP)
    if not name or len(name) > MAX_NAME_CHARS or len(name.split()) > 6 or _NOT_NAME.match(name) \
            or _WIDGET_START.match(name) or _WIDGET.search(name) or _TEASER.search(name):
        return None
    if not name[0].isalpha() or (name[0].isascii() and name[0].islower()):
        return None
    return name


def _squash(text: str) -> str:
    from anyascii import anyascii

    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def domain_label(url: str | None) -> str | None:
    """Registrable-domain label of a URL ("https://www.news.example.co.uk/x" -> "example")."""
    try:
        host = (urlsplit((url or "").strip()).hostname or "").lower()
    except ValueError:
        return None
    parts = [p for p in host.split(".") if p and p not in ("www", "m", "amp", "mobile", "edition")]
    if len(parts) < 2:
        return parts[0] if parts else None
    # second-level public suffixes such as co.uk, com.au, co.kr
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in ("co", "com", "org", "net", "ac", "gov", "or", "ne"):
        return parts[-3]
    return parts[-2]


def matches_domain(name: str, label: str) -> bool:
    """The name, transliterated and squashed, is (close to) the domain label: "Harbor Line Post" ~
    "harborlinepost", "Невский курьер" ~ "nevskykurier"."""
    sq = _squash(name)
    if not sq or not label:
        return False
    label = re.sub(r"[^a-z0-9]", "", label)
    variants = {sq, re.sub(r"^(the|le|la|les|der|die|das|el)", "", sq)}
    return any(v == label or (len(v) >= 5 and SequenceMatcher(None, v, label).ratio() >= 0.8) for v in variants)


def candidates(lines: list[Line]) -> dict[str, dict[str, float]]:
    """Outlet name -> {evidence kind: weight}."""
    found: dict[str, dict[str, float]] = {}

    def add(name: str | None, kind: str, weight: float) -> None:
        name = _clean_name(name or "")
        if name:
            kinds = found.setdefault(name, {})
            kinds[kind] = kinds.get(kind, 0.0) + weight

    n = len(lines)
    for i, ln in enumerate(lines):
        t = ln.text
        if i < 400:
            if t.startswith(("- ", "| ", "– ", "— ")) and 1 <= len(t.split()) - 1 <= 4:
                add(t[2:], "masthead", 2.0)
            add(site_suffix(t), "suffix", 1.0)
        if len(t) > 300 or (400 <= i < n - 200):
            continue
        for pat, weight, kind in PATTERNS:
            m = pat.search(t)
            if not m:
                continue
            if kind == "copyright":  # "© Jane Doe" under a photo is a credit, not the outlet
                if _CREDIT_WORDS.search(t):
                    continue
                if not (_RIGHTS_RE.search(t) or i >= 0.75 * n):
                    weight = 1.0
            add(m.group("name"), kind, weight)
    return found


def display_name(label: str) -> str:
    """A readable outlet name from a domain label ("nurinews" -> "Nurinews")."""
    return label[:1].upper() + label[1:]


def find_outlet(lines: list[Line], url: str | None = None) -> str | None:
    """The best-supported outlet name, or a name from the URL's domain, or None."""
    found = candidates(lines)
    label = domain_label(url)
    scores: dict[str, float] = {}
    for name, kinds in found.items():
        # evidence of different kinds adds up (agreement); repeats of one kind add their weights too
        score = sum(max(w, 0.0) for w in kinds.values())
        if label and matches_domain(name, label):
            score += 2.0
        scores[name] = score
    # names contained in a longer candidate ("Post" in "Harbor Line Post") support it
    for name in list(scores):
        for other in found:
            if other != name and name in other and len(name) >= 4:
                scores[other] = scores.get(other, 0.0) + 0.5 * sum(found[name].values())
    if scores:
        name, score = max(scores.items(), key=lambda kv: (kv[1], len(kv[0])))
        if score >= 2.0:
            return name
    if label and not re.fullmatch(r"\d+|localhost|example|xn--.*", label):
        return display_name(label)
    return None
