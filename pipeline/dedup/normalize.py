"""Canonical URLs and normalised text: the exact-duplicate keys of an article."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only say how a reader arrived; the article is the same without them.
TRACKING_PARAMS = frozenset(
    {
        "__twitter_impression", "_ga", "_gl", "_hsenc", "_hsmi", "amp", "cmp", "cmpid",
        "dclid", "fbclid", "gbraid", "gclid", "gclsrc", "guccounter", "icid", "igshid",
        "mc_cid", "mc_eid", "mkt_tok", "msclkid", "ncid", "ocid", "ref_src",
        "ref_url", "smid", "smtyp", "soc_src", "soc_trk", "sr_share", "taid", "usqp",
        "wbraid", "xtor", "yclid", "_amp",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_medium", "at_campaign", "at_custom", "pk_", "mtm_")
# Parameters that are tracking only with a given value (`outputType=amp`, not `outputType=xml`).
TRACKING_VALUES = {"outputtype": "amp"}
MOBILE_HOST_PREFIXES = ("amp.", "m.", "mobile.")
DEFAULT_PORTS = {"http": 80, "https": 443}

_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[0-9a-z_]+/(?P<url>https?://.+)$", re.I)
_AMP_CACHE = re.compile(r"^https?://[^/]+\.cdn\.ampproject\.org/[cv]/(?:s/)?(?P<rest>.+)$", re.I)
_GOOGLE_AMP = re.compile(r"^https?://(?:www\.)?google\.[a-z.]+/amp/(?:s/)?(?P<rest>.+)$", re.I)
# /amp, /amp/, .amp, .amp.html, _amp.html and a leading /amp/ are the AMP spellings we fold.
_AMP_PATH_SUFFIX = re.compile(r"(?:/amp/?|\.amp)$", re.I)
_AMP_HTML_SUFFIX = re.compile(r"[._]amp(\.html?)$", re.I)
_AMP_PATH_PREFIX = re.compile(r"^/amp(?=/)", re.I)


def canonical_url(url: str) -> str:
    """The identity of an article URL: the same page under every tracking and AMP spelling.

    Lower-cases scheme and host, drops the default port, the fragment, tracking parameters
    (`utm_*`, `fbclid`, `gclid`, `mc_cid`, ...) and empty queries, sorts the remaining
    parameters, unwraps Wayback and AMP-cache addresses and folds AMP and mobile variants
    (`amp.`, `m.`, `mobile.` hosts become `www.`; `/amp`, `.amp.html`, `?amp` vanish) and
    drops a trailing slash.
    A string that is not an absolute http(s) URL comes back stripped but otherwise unchanged.
    """
    url = _unwrap(url.strip())
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:
        # A port out of range or a broken IPv6 literal: not a URL we can reshape, but
        # still a stable identity, so it comes back as written rather than raising.
        return url
    if scheme not in DEFAULT_PORTS or not host or not host.strip("."):  # "." is no host
        return url
    netloc = _netloc(scheme, host, port, parts.username, parts.password)
    path = _fold_amp_path(_normalise_escapes(parts.path) or "/")
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def url_key(url: str) -> str:
    """`canonical_url` without scheme and `www.`: the exact-duplicate key of a URL."""
    canon = canonical_url(url)
    return re.sub(r"^https?://(?:www\.)?", "", canon, flags=re.I)


def _unwrap(url: str) -> str:
    """The publisher's URL inside a Wayback or AMP-cache address (repeatedly)."""
    for _ in range(3):
        if m := _WAYBACK.match(url):
            url = m["url"]
        elif m := _AMP_CACHE.match(url) or _GOOGLE_AMP.match(url):
            url = "https://" + m["rest"]
        else:
            break
    return url


def _netloc(scheme: str, host: str, port: int | None, user: str | None, pw: str | None) -> str:
    host = host.rstrip(".").lower()
    for prefix in MOBILE_HOST_PREFIXES:
        # Keep `m.co`-like hosts intact: only fold a prefix in front of a full domain.
        if host.startswith(prefix) and host.count(".") >= 2:
            host = "www." + host[len(prefix) :]
            break
    if ":" in host:
        host = f"[{host}]"
    if port and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if user:
        host = f"{user}:{pw}@{host}" if pw else f"{user}@{host}"
    return host


def _fold_amp_path(path: str) -> str:
    path = _AMP_HTML_SUFFIX.sub(r"\1", path)
    path = _AMP_PATH_SUFFIX.sub("", path)
    path = _AMP_PATH_PREFIX.sub("", path)
    # A trailing slash rarely names another article, and AMP folding leaves one or not.
    return path.rstrip("/") or "/"


def _normalise_escapes(path: str) -> str:
    """Decode escapes of unreserved characters and re-escape the rest uniformly (RFC 3986 6.2.2)."""
    return quote(unquote(path), safe="/:@!$&'()*+,;=~%-._")


def _clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _is_tracking(k, v)]
    return urlencode(sorted(pairs), quote_via=quote)


def _is_tracking(name: str, value: str) -> bool:
    low = name.lower()
    if low in TRACKING_VALUES:
        return value.lower() == TRACKING_VALUES[low]
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


class _HeadLinks(HTMLParser):
    """Collects `<base href>` and `<link rel=canonical href>` from a document's tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        rels = values.get("rel", "").lower().split()
        if tag == "link" and "canonical" in rels and self.canonical is None and values.get("href"):
            self.canonical = values["href"]


# Scanning only <link>/<base> tags keeps a 3 MB page (inline scripts and CSS) cheap.
_TAG = re.compile(rb"<(?:link|base)\b[^>]*>", re.I)


def find_rel_canonical(html: str | bytes, base_url: str) -> str | None:
    """The page's `<link rel="canonical">`, resolved against `<base href>` and `base_url`.

    Returns None when there is none, when it is not http(s), or when it points at the site's
    root from a deeper page (a common CMS mistake that would merge every article).
    """
    raw = html.encode("utf-8", "replace") if isinstance(html, str) else html
    parser = _HeadLinks()
    for match in _TAG.finditer(raw):
        parser.feed(match.group(0).decode("utf-8", "replace"))
        if parser.canonical:
            break
    if not parser.canonical:
        return None
    base = urljoin(base_url, parser.base) if parser.base else base_url
    resolved = urljoin(base, parser.canonical)
    target, origin = urlsplit(resolved), urlsplit(base_url)
    if target.scheme.lower() not in DEFAULT_PORTS or not target.hostname:
        return None
    if target.path in ("", "/") and origin.path not in ("", "/"):
        return None
    return resolved


_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′‹›`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−⁃", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    }
)
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC, one spelling of quotes and dashes, no invisible characters, folded whitespace,
    lower case: the basis of content hashes and shingles."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip().lower()


# Whole paragraphs that publishers add around the same story; matched on a normalised line.
_BOILERPLATE = [
    r"(this|the) (post|article|story|item) (first |originally )?"
    r"(appeared|was (first )?published|ran)( first)? (on|in|at) .{1,80}",
    r"(read|see) (more|also|next|the full story)\b.{0,200}",
    r"(related|more|recommended|most read|trending)( stories| articles| coverage)?:.{0,200}",
    r"follow (us|.{1,40}) on (twitter|x|facebook|instagram|tiktok|threads|linkedin|google).{0,120}",
    r"(copyright|©|\(c\)) .{0,160}",
    r".{0,120}\ball rights reserved\.?",
    r"(sign up|subscribe)( now| today| here)? (for|to) .{0,160}",
    r"(click|tap) here .{0,160}",
    r"(share|share this( article| story)?|tweet|email|print|comments?|advertisement"
    r"|story continues below( advertisement)?|skip to (main )?content|menu|search)",
    r"(download|get) the .{1,40} app.{0,80}",
    r"\(?(reporting|additional reporting|writing|editing) by .{1,200}",
    r"we use cookies.{0,300}",
    r"(privacy policy|terms of (use|service)|cookie (policy|settings)|contact us|about us)"
    r"([ |·•-]+.{0,40}){0,8}",
    r"the associated press contributed to this report\.?",
    r".{0,60} contributed to this report\.?",
]
_BOILERPLATE_LINE = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE))
# Navigation bars: a handful of short items separated by |, ·, • or ›.
_NAV_LINE = re.compile(r"^(?:[\w&' .-]{1,25}\s*[|·•›»]\s*){2,}[\w&' .-]{1,25}$")
_MAX_BOILERPLATE_LINE = 320


def strip_boilerplate(text: str) -> str:
    """The text without publisher furniture: 'This post appeared first on ...', 'Read more:',
    'Follow us on ...', copyright lines, share buttons, cookie notices, navigation bars.

    Works line by line and only drops a whole short line, so article sentences that merely
    mention 'copyright' or 'read more' survive.
    """
    kept = [line for line in text.splitlines() if not is_boilerplate_line(line)]
    return "\n".join(kept).strip()


def is_boilerplate_line(line: str) -> bool:
    """True when a whole line is publisher furniture rather than article text."""
    norm = normalize_text(line)
    if not norm or len(norm) > _MAX_BOILERPLATE_LINE:
        return False
    return bool(_BOILERPLATE_LINE.fullmatch(norm) or _NAV_LINE.match(norm))


def content_hash(text: str) -> str:
    """Hex sha256 of the normalised body without boilerplate: the exact-duplicate key."""
    return hashlib.sha256(normalize_text(strip_boilerplate(text)).encode("utf-8")).hexdigest()


def document_text(title: str, body: str) -> str:
    """Title and body as one string, the text extraction and near-duplicate detection see."""
    title, body = title.strip(), body.strip()
    if not title:
        return body
    return f"{title}\n\n{body}" if body else title


# Elements whose content is never text a reader sees: dropped with everything inside.
_INVISIBLE = ("script", "style", "noscript", "template", "iframe", "object", "svg", "math")
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_LINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_MANY_LINES = re.compile(r"\n\s*\n+")


def html_text(markup: str) -> str:
    """Plain text of an HTML fragment, read by a real HTML parser (lxml), never a regex.

    Script, style and other invisible elements are dropped with their content; block
    elements end a line and paragraphs are separated by one blank line; entities are
    decoded. Text without markup is returned stripped, as it is.
    """
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup.strip()
    for element in list(root.iter(*_INVISIBLE)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            end = "\n" if element.tag.lower() == "br" else "\n\n"
            element.tail = end + (element.tail or "")
    lines = (_LINE_SPACE.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return _MANY_LINES.sub("\n\n", "\n".join(lines)).strip()


def is_web_url(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host: the only links stored as article links
    (never `javascript:`, `data:`, `vbscript:` or `file:`)."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def cut_text(text: str, max_chars: int) -> str:
    """`text` itself when it has at most `max_chars` characters (or `max_chars` is 0), else
    its head up to the last paragraph break, sentence end or space within the limit.

    The break is searched in the last fifth of the limit only, so a text with no break at
    all is cut at the limit rather than shrunk to nothing.
    """
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    head = text[:max_chars]
    floor = max_chars * 4 // 5
    for mark in ("\n\n", ". ", "\n", " "):
        at = head.rfind(mark, floor)
        if at > 0:
            return head[: at + (1 if mark == ". " else 0)].rstrip()
    return head
