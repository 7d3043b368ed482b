"""Clean stage: plain paragraphs without web boilerplate, and the outlet, byline and dateline
that pasted text carries in its first and last lines."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import nh3
from rapidfuzz import fuzz

from .config import Outlet
from .model import Article, Diagnostic
from .text import (
    NAME_RUN,
    PARTICLES,
    UNREADABLE_MARKDOWN,
    is_web_url,
    markdown_html,
    normalised,
    plain_paragraphs,
)

# Wire agencies by the code they put in datelines ("BERLIN (AA) -").
AGENCIES: dict[str, str] = {
    "AA": "Anadolu Agency",
    "AP": "Associated Press",
    "AFP": "Agence France-Presse",
    "Reuters": "Reuters",
    "UPI": "United Press International",
    "dpa": "Deutsche Presse-Agentur",
    "ANSA": "ANSA",
    "EFE": "EFE",
    "Xinhua": "Xinhua",
    "TASS": "TASS",
    "PTI": "Press Trust of India",
    "IANS": "Indo-Asian News Service",
    "ANI": "Asian News International",
    "KUNA": "Kuwait News Agency",
    "WAM": "Emirates News Agency",
    "SPA": "Saudi Press Agency",
    "QNA": "Qatar News Agency",
    "MENA": "Middle East News Agency",
    "IRNA": "Islamic Republic News Agency",
    "APA": "Austria Presse Agentur",
    "Kyodo": "Kyodo News",
    "Yonhap": "Yonhap News Agency",
    "Bernama": "Bernama",
    "PA": "PA Media",
    "CP": "The Canadian Press",
    "AAP": "Australian Associated Press",
    "PAP": "Polish Press Agency",
    "CTK": "Czech News Agency",
    "MTI": "Hungarian News Agency",
    "ANP": "Algemeen Nederlands Persbureau",
    "Belga": "Belga",
    "NTB": "Norsk Telegrambyrå",
    "TT": "TT News Agency",
    "BTA": "Bulgarian News Agency",
    "Ukrinform": "Ukrinform",
    "Interfax": "Interfax",
    "CNA": "Central News Agency",
    "APP": "Associated Press of Pakistan",
    "BSS": "Bangladesh Sangbad Sangstha",
    "IPS": "Inter Press Service",
    "Lusa": "Lusa",
    "HINA": "HINA",
    "Tanjug": "Tanjug",
}
# Other names the agencies go by in bylines ("By Anadolu staff").
AGENCY_ALIASES: dict[str, str] = {
    "anadolu": "Anadolu Agency",
    "anadolu ajansi": "Anadolu Agency",
    "the associated press": "Associated Press",
    "france-presse": "Agence France-Presse",
    "agence france presse": "Agence France-Presse",
    "thomson reuters": "Reuters",
    "xinhua news agency": "Xinhua",
    "deutsche presse agentur": "Deutsche Presse-Agentur",
}

# (?>.*?...) tries only the first cookie word or licence mark, which is enough: a line of
# thousands of them then takes linear time, not quadratic.
BOILERPLATE = re.compile(
    r"""^(?:
        (?>.*?\b(?:cookies?|privacy\ policy|terms\ of\ (?:use|service))\b)
          .*\b(?:agree|accept|consent|settings|use)\b.*
      | (?:choose|select|change)\ (?:your\ )?(?:language|region|edition)\s*:?
      | (?>.*?(?:许可证|备案|ICP)).*\d{6,}.*
      | .*\blicen[cs]e\ (?:no\.?|number)\s*:?\s*[\w-]*\d{5,}.*
      | .*\bhotline\s*:?\s*[\d+()\-\s]{6,}
      | (?:share|tweet|email|print|advertisement|subscribe
         |sign\ up\ for\ our\ newsletter)\s*(?:this)?
      | (?:[•·|]\s*\w+(?:\s\w+){0,3}\s*){2,}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A photo caption ends with an agency or photographer credit: "... 2025. /VCG", "(AP Photo/Jo Li)".
CAPTION = re.compile(
    r"(?:\s/\s?[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*){0,3}"
    r"|\((?:[A-Z][\w&.]*\s)?Photo(?:s)?\s?[:/][^()]*\)"
    r"|\b(?:Photo|Image|Credit)s?:\s?[A-Z][\w&. /-]{1,40})$"
)
RELATED = re.compile(r"^(?:related|more|read more|see also)\b[\w ]{0,20}:?$", re.IGNORECASE)
BYLINE = re.compile(r"^by\s+(?P<who>[^\d]{2,80}?)\.?$", re.IGNORECASE)
BYLINE_WORDS = {
    "staff",
    "writer",
    "writers",
    "reporter",
    "reporters",
    "correspondent",
    "and",
    "of",
    "the",
    *PARTICLES,  # "Kevin de León", as a speaker's name is found (text.NAME_RUN)
    "newsroom",
    "desk",
    "wire",
    "wires",
}
STAFF = re.compile(
    r"^(?P<outlet>.+?)\s+(?:staff|staff writers?|reporters?|newsroom|desk|"
    r"correspondents?|wires?)$",
    re.IGNORECASE,
)
# A line that is only a date, as pages print above or below the story: "June 9, 2016 at 8:14 AM
# ET", "Published: August 7, 2012", "UPDATED 06/09/2016 10:20 AM EDT".
TIME_OF_DAY = re.compile(
    r"\b\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?\s*(?:[ap]\.?\s*m\b\.?)?"
    r"(?:\s*\(?[A-Z]{2,4}(?:\s*[+-]\s*\d{1,2}(?:\s*:\s*\d{2})?)?\)?)?",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
DATE_LINE_WORDS = {"published", "posted", "updated", "last", "first", "on", "at", "time"}
DATE_LINE_LABEL = re.compile(
    r"^\W*(?:(?:first|last)\s+)?(?:published|posted|updated)(?:\s+time)?\s*(?:on|at)?\s*:?\s*",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"^(?P<who>.{2,80}?)\s+contributed\s+(?:to\s+)?(?:this\s+)?report(?:ing)?\s+"
    r"(?:for|to)\s+(?P<outlet>.{2,60}?)\.?$",
    re.IGNORECASE,
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{1,40}?)(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\((?P<code>[A-Za-z]{2,10})\))?\s*[-–—]+\s+"
)
# "Ukraine.Ukrainian": a sentence end glued to the next paragraph's start.
GLUED = re.compile(r"(?<=[a-z\d)][.!?])(?=[A-Z“\"][a-z])|(?<=[a-z][.!?][”\")])(?=[A-Z][a-z])")
# Names: text.NAME_RUN ("Sébastien Lecornu", "NATO"), whose words an organisation or a place
# also joins with "of" ("Bank of England"); a person's name never holds it.
NAME = re.compile(rf"\b({NAME_RUN}(?:[^\S\n]+of[^\S\n]+{NAME_RUN})*)")
# Capitalised words that name no one: sentence openers, days, months, time zones.
NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december gmt est edt pst pdt cet utc am pm "
    "the a an he she it they we i you in on at but and or mr ms mrs dr this that these those "
    "his her its their after before when while if as for with by from to of last next updated "
    "posted published there here what who how why yes no".split()
)
NEAR_DUPLICATE = 90  # rapidfuzz ratio at or above which two paragraphs are one repeated
MIN_WORDS_FOR_NEAR = 8
# The latest kept paragraphs a paragraph is compared with for a near-duplicate: more than an
# article has, and a bound on the time a text of thousands of paragraphs takes.
NEAR_REACH = 200


def clean_article(article: Article, outlets: tuple[Outlet, ...] = ()) -> Article:
    """Return the article with cleaned paragraphs, word counts, and what pasted text says of
    itself: outlet, author, place (dateline) and publication date ("Published April 1, 2025").
    A `url` that is no web address is dropped with a warning: pages and digest.json link it."""
    found: dict[str, str | None] = {"source": None, "author": None, "place": None}
    lines, rendered, readable = _plain_lines(article)
    captions: list[str] = []
    kept: list[str] = []
    boilerplate = 0
    for index, line in enumerate(lines):
        if RELATED.match(line) and all(len(rest.split()) <= 12 for rest in lines[index + 1 :]):
            boilerplate += len(lines) - index
            break  # a list of links closes the page
        if BOILERPLATE.match(line):
            boilerplate += 1
            continue
        if _take_byline_or_credit(line, found):
            continue
        if when := date_line(line):
            if not re.match(r"\W*(?:last\s+)?updated", line, re.IGNORECASE):
                found["published"] = found.get("published") or when
            continue
        if CAPTION.search(line) and len(line.split()) >= 6:
            captions.append(line)
            continue
        kept.append(line)
    if kept:
        kept[0] = _take_dateline(kept[0], found)
    title = article.title
    if title and (when := date_line(title)):  # a date taken for a headline
        found["published"] = found.get("published") or when
        title = None
    split = _split_glued(kept)
    paragraphs, forms = _drop_repeats(split, title)
    source = article.source or found["source"]
    url, diagnostics = article.url, article.diagnostics
    if not readable:
        diagnostics = [*diagnostics, Diagnostic(article.path, UNREADABLE_MARKDOWN)]
    if url and not is_web_url(url):
        message = f"url {url!r} is not a web address (http or https); ignored"
        url, diagnostics = None, [*diagnostics, Diagnostic(article.path, message)]
    return replace(
        article,
        url=url,
        diagnostics=diagnostics,
        title=title,
        paragraphs=paragraphs,
        normalised=forms,
        captions=captions,
        names=find_names(title, [*captions, *paragraphs]),
        boilerplate_removed=boilerplate,
        repeats_removed=len(split) - len(paragraphs),
        source=canonical_outlet(source, outlets) if source else None,
        author=article.author or found["author"],
        published_raw=article.published_raw or found.get("published"),
        place=found["place"],
        markdown_html=rendered,
        words_raw=len(article.body.split()),
        words_clean=sum(len(p.split()) for p in paragraphs),
    )


def _plain_lines(article: Article) -> tuple[list[str], str | None, bool]:
    """The text's lines, its Markdown as HTML (None for a text without markup), and whether
    its Markdown could be read as Markdown."""
    text, rendered = article.body, None
    if article.format == "markdown" and plain_paragraphs(article.body) is None:
        rendered = markdown_html(article.body)
        if rendered is None:
            return _lines(text), None, False
        html_lines = re.sub(r"</(?:p|h[1-6]|li|blockquote|pre|tr|div)>|<br\s*/?>", "\n", rendered)
        text = html.unescape(nh3.clean(html_lines, tags=set()))
    return _lines(text), rendered, True


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _take_byline_or_credit(line: str, found: dict[str, str | None]) -> bool:
    byline = BYLINE.match(line)
    if byline and len(line.split()) <= 8 and _names_only(byline["who"]):
        who = byline["who"].strip()
        staff = STAFF.match(who)
        if staff:
            found["source"] = found["source"] or staff["outlet"].strip()
        elif "," in who:
            person, outlet = (part.strip() for part in who.rsplit(",", 1))
            found["author"] = found["author"] or person
            found["source"] = found["source"] or outlet
        else:
            found["author"] = found["author"] or who
        return True
    credit = CREDIT.match(line)
    if credit:
        found["source"] = found["source"] or credit["outlet"].strip()
        found["author"] = found["author"] or credit["who"].strip()
        return True
    return False


def date_line(line: str) -> str | None:
    """The date of a line that holds nothing but a date (and a time, and a label such as
    'Published'), or None for any other line."""
    if len(line.split()) > 12 or not YEAR.search(line):
        return None
    rest = TIME_OF_DAY.sub(" ", line)
    for word in re.findall(r"[^\W\d_]+", rest):
        if word.islower() and len(word) > 2 and word not in DATE_LINE_WORDS:
            return None  # a sentence or a headline, not a date
    when = DATE_LINE_LABEL.sub("", rest).strip(" ,|-–")
    return " ".join(when.split()) or None


def find_names(title: str | None, blocks: list[str]) -> list[str]:
    """The names of people, organisations and places, as written, once per mention: runs of
    capitalised words on one line ("Sébastien Lecornu", "NATO"), without sentence openers,
    days and months. A single word the text also writes in lower case ("Police") is no name."""
    lower = {
        w.strip(".,;:!?\"'()“”‘’") for block in blocks for w in block.split() if w[:1].islower()
    }
    names = []
    for block in [title or "", *blocks]:
        for match in NAME.finditer(block):
            words = [
                w
                for w in re.sub(r"['’]s$", "", match.group(1)).split()
                if w.lower() not in NOT_NAMES
            ]
            if words and not (len(words) == 1 and words[0].lower() in lower):
                names.append(" ".join(words))
    return names


def _names_only(words: str) -> bool:
    """'Jane Roe, Reuters' or 'Anadolu staff', not 'contrast, officials said ...'."""
    return all(w[0].isupper() or w.lower() in BYLINE_WORDS for w in words.replace(",", " ").split())


def _take_dateline(paragraph: str, found: dict[str, str | None]) -> str:
    match = DATELINE.match(paragraph)
    if not match or len(match["place"].split()) > 4:
        return paragraph
    found["place"] = match["place"].strip().title()
    if match["code"]:
        agency = AGENCIES.get(match["code"]) or _agency_by_code_case(match["code"])
        if agency:
            found["source"] = found["source"] or agency
    return paragraph[match.end() :]


def _agency_by_code_case(code: str) -> str | None:
    return next((name for key, name in AGENCIES.items() if key.lower() == code.lower()), None)


def canonical_outlet(name: str, outlets: tuple[Outlet, ...]) -> str:
    """The configured or well-known name of an outlet given by any of its aliases."""
    key = name.strip().lower()
    for outlet in outlets:
        if key == outlet.name.lower() or key in (a.lower() for a in outlet.aliases):
            return outlet.name
    if key in AGENCY_ALIASES:
        return AGENCY_ALIASES[key]
    for code, agency in AGENCIES.items():
        if key in (code.lower(), agency.lower()):
            return agency
    return name.strip()


def _split_glued(lines: list[str]) -> list[str]:
    return [part.strip() for line in lines for part in GLUED.split(line) if part.strip()]


def _drop_repeats(paragraphs: list[str], title: str | None) -> tuple[list[str], list[str]]:
    """Drop a repeated headline and paragraphs repeated within the article, near-duplicates too:
    the paragraphs kept, and their normalised forms (`Article.normalised`)."""
    norm_title = normalised(title) if title else None
    kept: list[str] = []
    kept_norm: list[str] = []
    seen: set[str] = set()  # kept_norm as a set: quick to look up among thousands
    for paragraph in paragraphs:
        norm = normalised(paragraph)
        if not norm or norm == norm_title or norm in seen:
            continue
        if len(norm.split()) >= MIN_WORDS_FOR_NEAR and any(
            fuzz.ratio(norm, other, score_cutoff=NEAR_DUPLICATE)
            for other in kept_norm[-NEAR_REACH:]
        ):
            continue
        kept.append(paragraph)
        kept_norm.append(norm)
        seen.add(norm)
    return kept, kept_norm
