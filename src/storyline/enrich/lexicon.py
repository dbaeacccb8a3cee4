"""Small own-made word lists per language: titles, organisation words, speech verbs, pronouns.

Kept short and explicit; they drive the fallback NER, name normalisation and quote attribution.
"""

from __future__ import annotations

from functools import lru_cache

CASELESS = {"ko", "ar", "ja", "zh", "fa", "he", "th", "hi"}


def has_case(lang: str | None) -> bool:
    """Whether the language's script marks names with capitals (the capitalised-sequence heuristic)."""
    return bool(lang) and lang not in CASELESS


_TITLES: dict[str, set[str]] = {
    "en": {"president", "mr", "mrs", "ms", "dr", "prof", "minister", "prime", "chancellor", "senator",
           "governor", "king", "queen", "pope", "general", "gen", "sir", "lady", "lord", "judge",
           "secretary", "leader", "chairman", "ceo", "rep", "sen", "gov", "spokesman", "spokeswoman",
           "spokesperson", "ambassador", "mayor", "director", "foreign", "defence", "defense", "vice",
           "former", "late", "premier", "officer", "coach", "actor", "actress", "singer", "star"},
    "fr": {"président", "presidente", "m", "mme", "mlle", "dr", "ministre", "premier", "chancelier",
           "général", "roi", "reine", "pape", "maire", "porte-parole", "ambassadeur", "dirigeant",
           "chef", "secrétaire", "directeur", "ancien", "sénateur", "député"},
    "de": {"präsident", "präsidentin", "herr", "frau", "dr", "minister", "ministerin", "kanzler",
           "kanzlerin", "bundeskanzler", "bundeskanzlerin", "regierungschef", "sprecher", "sprecherin",
           "könig", "papst", "general", "botschafter", "bürgermeister", "chef", "staatschef",
           "außenminister", "machthaber", "bürgermeisterin", "trainer", "trainerin", "richter", "richterin",
           "senator", "senatorin", "abgeordnete", "abgeordneter", "direktor", "direktorin", "professor",
           "professorin", "vorsitzende", "vorsitzender", "ministerpräsident", "ministerpräsidentin"},
    "es": {"entrenador", "entrenadora", "alcaldesa", "senador", "senadora", "diputado", "diputada",
           "presidente", "presidenta", "sr", "sra", "señor", "señora", "dr", "ministro", "ministra",
           "canciller", "rey", "reina", "papa", "general", "portavoz", "embajador", "alcalde", "líder",
           "don", "doña", "mandatario"},
    "ru": {"президент", "премьер", "министр", "господин", "госпожа", "глава", "лидер", "председатель",
           "генерал", "канцлер", "король", "папа", "посол", "мэр", "губернатор", "спикер", "пресс-секретарь"},
    "tr": {"cumhurbaşkanı", "başbakan", "bakan", "bay", "bayan", "dr", "lider", "başkan", "sözcü",
           "büyükelçi", "general", "kral", "papa"},
}

# Titles written after the name, in caseless scripts ("푸틴 대통령").
TITLES_AFTER: dict[str, list[str]] = {
    "ko": ["대통령", "국무위원장", "위원장", "총리", "장관", "총비서", "주석", "대변인", "의원", "대표", "씨"],
}
STOP_NAMES = {"전", "현", "부", "미국", "북한", "한국", "중국", "러시아", "일본"}

ORG_WORDS = {
    "party", "bank", "ministry", "university", "council", "committee", "agency", "company", "corp",
    "inc", "ltd", "union", "association", "organization", "organisation", "army", "police", "court",
    "parliament", "congress", "senate", "times", "news", "press", "institute", "foundation", "group",
    "partei", "ministerium", "universität", "bundestag", "gericht", "verband", "stiftung", "gmbh", "ag",
    "partido", "banco", "ministerio", "universidad", "consejo", "gobierno", "tribunal", "congreso",
    "parti", "banque", "ministère", "université", "conseil", "gouvernement", "assemblée", "armée",
    "partisi", "bakanlığı", "üniversitesi", "meclisi", "bankası", "партия", "министерство", "банк",
    "университет", "совет", "правительство", "суд",
}

NAME_CONNECTORS = {"de", "del", "la", "van", "von", "der", "da", "di", "bin", "ibn", "al", "el", "le", "du"}

_STOP: dict[str, set[str]] = {
    "en": {"the", "a", "an", "and", "or", "but", "in", "on", "at", "of", "for", "to", "he", "she", "it",
           "they", "we", "i", "you", "this", "that", "these", "those", "his", "her", "their", "its",
           "our", "my", "there", "when", "while", "after", "before", "if", "as", "by", "with",
           "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
           "january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"},
    "de": {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "und", "oder",
           "aber", "in", "im", "am", "an", "auf", "für", "mit", "von", "zu", "er", "sie", "es", "wir",
           "ich", "ihr", "sein", "seine", "ihre", "dies", "diese", "dieser", "als", "wenn", "nach",
           "vor", "bei", "auch", "nicht", "noch", "montag", "dienstag", "mittwoch", "donnerstag",
           "freitag", "samstag", "sonntag", "januar", "februar", "märz", "april", "mai", "juni", "juli",
           "august", "september", "oktober", "november", "dezember", "laut", "wie", "so", "da", "dann"},
    "es": {"el", "la", "los", "las", "un", "una", "y", "o", "pero", "en", "de", "del", "a", "al",
           "por", "para", "con", "él", "ella", "ellos", "este", "esta", "estos", "esas", "ese", "su",
           "sus", "según", "cuando", "si", "como", "lunes", "martes", "miércoles", "jueves", "viernes",
           "sábado", "domingo", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
           "agosto", "septiembre", "octubre", "noviembre", "diciembre", "también", "ya", "no"},
    "tr": {"bir", "ve", "ile", "ama", "bu", "şu", "o", "da", "de", "için", "gibi", "sonra", "önce",
           "pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar", "ocak", "şubat",
           "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım", "aralık"},
    "fr": {"le", "la", "les", "un", "une", "et", "ou", "mais", "en", "de", "du", "des", "à", "au",
           "aux", "il", "elle", "ils", "elles", "ce", "cette", "ces", "son", "sa", "ses", "selon",
           "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier",
           "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"},
}


def titles(lang: str | None) -> set[str]:
    """Title words preceding a name in `lang` (plus English ones, often borrowed)."""
    return _TITLES.get(lang or "", set()) | _TITLES["en"]


def all_titles() -> set[str]:
    return set().union(*_TITLES.values())


@lru_cache(maxsize=16)
def stopwords(lang: str | None) -> frozenset[str]:
    return frozenset(_STOP.get(lang or "", set()) | _STOP["en"])


# Speech verbs (surface forms, lower case) used to attribute quotes and detect reported speech.
SPEECH_VERBS: dict[str, list[str]] = {
    "en": ["said", "says", "say", "told", "tells", "stated", "states", "announced", "added", "adds",
           "claimed", "claims", "warned", "warns", "argued", "insisted", "noted", "explained",
           "declared", "asserted", "wrote", "writes", "replied", "responded", "stressed", "admitted",
           "acknowledged", "confirmed", "denied", "suggested", "tweeted", "recalled", "urged", "asked"],
    "fr": ["a déclaré", "a dit", "a affirmé", "a indiqué", "a expliqué", "a ajouté", "a estimé",
           "a assuré", "a souligné", "a annoncé", "a averti", "a précisé", "a répondu", "a reconnu",
           "a confié", "déclare", "dit", "affirme", "estime", "explique", "ajoute", "indique", "assure",
           "souligne", "annonce", "précise", "a-t-il dit", "a-t-elle dit", "a-t-il déclaré",
           "a-t-elle déclaré", "a-t-il ajouté", "a-t-elle ajouté", "a-t-il affirmé", "a-t-elle affirmé",
           "a-t-il expliqué", "a-t-elle expliqué", "a-t-il estimé", "a-t-elle estimé", "a-t-il assuré",
           "a-t-elle assuré", "a-t-il souligné", "a-t-elle souligné", "a-t-il précisé", "a-t-elle précisé",
           "déclarait", "disait"],
    "de": ["sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "meinte", "teilte mit",
           "warnte", "warnt", "kündigte an", "fügte hinzu", "sagten", "erklärten", "schrieb",
           "versicherte", "bekräftigte", "räumte ein", "forderte"],
    "es": ["dijo", "dice", "afirmó", "afirma", "declaró", "declara", "aseguró", "asegura", "explicó",
           "señaló", "añadió", "agregó", "advirtió", "indicó", "anunció", "sostuvo", "subrayó",
           "manifestó", "expresó", "escribió", "respondió", "reconoció"],
    "ru": ["заявил", "заявила", "заявили", "сказал", "сказала", "сказали", "сообщил", "сообщила",
           "сообщили", "отметил", "отметила", "подчеркнул", "подчеркнула", "добавил", "добавила",
           "пояснил", "пояснила", "заявляет", "говорит", "говорил", "говорила", "предупредил",
           "предупредила", "признал", "признала", "написал", "написала", "ответил", "ответила",
           "уточнил", "уточнила", "считает", "указал", "указала", "признался", "призналась", "рассказал",
           "рассказала", "объяснил", "объяснила", "пообещал", "пообещала", "напомнил", "напомнила"],
    "ko": ["말했다", "밝혔다", "강조했다", "주장했다", "전했다", "덧붙였다", "설명했다", "발표했다", "말한",
           "밝힌", "지적했다", "경고했다"],
    "ar": ["قال", "قالت", "أكد", "أكدت", "أضاف", "أضافت", "أعلن", "أعلنت", "صرح", "صرحت", "أوضح", "أوضحت"],
    "tr": ["dedi", "söyledi", "açıkladı", "belirtti", "ifade etti", "vurguladı", "kaydetti"],
}

# "according to X" style markers: the speaker follows the marker.
ACCORDING_TO: dict[str, list[str]] = {
    "en": ["according to"],
    "fr": ["selon", "d'après", "d’après"],
    "de": ["laut", "nach angaben von", "zufolge"],
    "es": ["según", "de acuerdo con"],
    "ru": ["по словам", "по данным", "по мнению", "как заявил", "как сообщил", "как отметил"],
    "tr": ["göre"],
}

# Complementisers introducing reported content after a speech verb.
THAT: dict[str, list[str]] = {
    "en": ["that"], "fr": ["que", "qu'", "qu’"], "de": ["dass", "daß"], "es": ["que"], "ru": ["что", "чтобы"],
    "tr": [],
}

# English clause starters accepted after "said" without "that" ("X said the talks would continue").
CLAUSE_STARTERS = {"the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "there", "his", "her",
                   "its", "their", "this", "these", "those", "some", "many", "most", "all", "no", "police",
                   "officials", "nobody", "everyone", "more", "about"}
BARE_CLAUSE_VERBS = {"said", "says", "added", "claimed", "warned", "argued", "insisted", "noted", "stated",
                     "announced", "believes", "thinks", "admitted", "acknowledged", "confirmed"}

PRONOUNS: dict[str, set[str]] = {
    "en": {"he", "she", "they"},
    "fr": {"il", "elle", "ils", "elles", "t-il", "t-elle"},
    "de": {"er", "sie"},
    "es": {"él", "ella", "ellos"},
    "ru": {"он", "она", "они"},
    "tr": {"o"},
}


def speech_verbs(lang: str | None) -> list[str]:
    return SPEECH_VERBS.get(lang or "", []) or SPEECH_VERBS["en"]
