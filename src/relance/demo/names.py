"""Invented company names, towns and e-mail addresses for the demo company.

Names are assembled from syllables and word lists written here, so they look French
(or Belgian, German, Spanish, Italian for export customers) without naming real
firms. E-mail addresses use the reserved `.example` top-level domain (RFC 2606): a
demo that sends reminders can never reach a real mailbox.

Everything is vectorised: `company_names` takes numpy arrays of segment and country
codes and returns Polars series, so 200 000 customers cost well under a second.
"""

from __future__ import annotations

import numpy as np
import polars as pl

# Heads end with a consonant and middles are consonants, so that no syllables meet
# on two vowels (no "Boueau").
_HEADS = (
    "Ber", "Mar", "Lam", "Dur", "Fon", "Gaud", "Ren", "Bouc", "Vil", "Chab", "Mon",
    "Lef", "Roug", "Pel", "Tes", "Gir", "Clav", "Bel", "Dam", "Roch", "Mal", "Sav",
    "Ler", "Cour", "Gar", "Poul", "Tar", "Brun", "Mor", "Jac",
)  # fmt: skip
_MIDDLES = ("", "", "", "", "ch", "l", "n", "r", "s", "t", "v")
_TAILS = (
    "ard", "et", "ier", "aud", "in", "ot", "eau", "ais", "ant", "elle", "ois", "ac",
    "y", "ière", "on", "ault", "oux", "and",
)  # fmt: skip
_TRADES = (
    "Transports", "Menuiserie", "Imprimerie", "Garage", "Cabinet", "Établissements",
    "Laboratoires", "Ateliers", "Distribution", "Boulangerie", "Charpentes",
    "Plomberie", "Fonderie", "Serrurerie", "Maison",
)  # fmt: skip
_SECTORS = (
    "Industrie", "Logistique", "Bâtiment", "Conseil", "Agro", "Emballages", "Services",
    "Électricité", "Métallerie", "Informatique", "Négoce", "Textile", "Peintures",
    "Mécanique",
)  # fmt: skip
_REGIONS = (
    "Atlantique", "Provence", "Alpes", "Armor", "Val de Loire", "Normandie", "Vosges",
    "Garonne", "Champagne", "Méditerranée", "Jura", "Picardie",
)  # fmt: skip
_FR_FORMS = ("SARL", "SAS", "SA", "EURL", "SASU", "SAS", "SARL")
_RIVERS = ("Loire", "Seine", "Marne", "Saône", "Oise", "Dordogne", "Meuse", "Vienne")
_PUBLIC = (
    "Mairie de {town}",
    "Centre hospitalier de {town}",
    "Communauté de communes de {town}",
    "Lycée {surname}",
    "Syndicat des eaux de {town}",
    "Conseil départemental — {region}",
)
_EXPORT_FORMS = {
    "BE": ("SRL", "NV", "SA"),
    "DE": ("GmbH", "AG", "KG"),
    "ES": ("S.L.", "S.A."),
    "IT": ("S.r.l.", "S.p.A."),
}
_TLD = {"FR": "fr", "BE": "be", "DE": "de", "ES": "es", "IT": "it"}
_MAILBOXES = ("comptabilite", "compta", "contact", "factures", "fournisseurs", "ap")


def _slug_expr(text: pl.Expr) -> pl.Expr:
    """Lower-case ASCII letters, digits and dashes: what a domain label allows."""
    return (
        text.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", "-")
        .str.strip_chars("-")
    )


def _pick(words: tuple[str, ...], rng: np.random.Generator, n: int) -> pl.Series:
    return pl.Series(words, dtype=pl.Utf8).gather(rng.integers(0, len(words), n))


def surnames(rng: np.random.Generator, n: int) -> pl.Series:
    """`n` invented French-sounding surnames (Bertaud, Lamerot, Chanière…)."""
    frame = pl.DataFrame(
        {
            "h": _pick(_HEADS, rng, n),
            "m": _pick(_MIDDLES, rng, n),
            "t": _pick(_TAILS, rng, n),
        }
    )
    return frame.select(pl.concat_str("h", "m", "t").alias("surname")).to_series()


def towns(rng: np.random.Generator, n: int) -> pl.Series:
    """`n` invented town names (Saint-Gaudet, Rouelle-sur-Marne, Bertauville…)."""
    base = surnames(rng, n)
    pattern = rng.integers(0, 4, n)
    river = _pick(_RIVERS, rng, n)
    frame = pl.DataFrame({"b": base, "p": pattern, "r": river})
    return frame.select(
        pl.when(pl.col("p") == 0)
        .then(pl.concat_str(pl.lit("Saint-"), "b"))
        .when(pl.col("p") == 1)
        .then(pl.concat_str("b", pl.lit("-sur-"), "r"))
        .when(pl.col("p") == 2)
        .then(pl.concat_str("b", pl.lit("ville")))
        .otherwise(pl.col("b"))
        .alias("town")
    ).to_series()


def company_names(
    rng: np.random.Generator, segments: np.ndarray, countries: np.ndarray
) -> pl.DataFrame:
    """Names and e-mail addresses for customers of the given segments and countries.

    Returns columns `name` (display name with legal form), `slug` (ASCII, for the
    domain) and `email`, `billing_email` (empty string when the customer has none).
    """
    n = len(segments)
    frame = pl.DataFrame(
        {
            "segment": pl.Series(segments, dtype=pl.Utf8),
            "country": pl.Series(countries, dtype=pl.Utf8),
            "surname": surnames(rng, n),
            "surname2": surnames(rng, n),
            "town": towns(rng, n),
            "trade": _pick(_TRADES, rng, n),
            "sector": _pick(_SECTORS, rng, n),
            "region": _pick(_REGIONS, rng, n),
            "fr_form": _pick(_FR_FORMS, rng, n),
            "pattern": rng.integers(0, 5, n),
            "public": rng.integers(0, len(_PUBLIC), n),
            "export_form": rng.integers(0, 3, n),
        }
    )
    private = (
        pl.when(pl.col("pattern") == 0)
        .then(pl.concat_str("trade", pl.lit(" "), "surname"))
        .when(pl.col("pattern") == 1)
        .then(pl.concat_str("surname", pl.lit(" & Fils")))
        .when(pl.col("pattern") == 2)
        .then(pl.concat_str("surname", pl.lit(" "), "sector"))
        .when(pl.col("pattern") == 3)
        .then(pl.concat_str("region", pl.lit(" "), "sector"))
        .otherwise(pl.concat_str("surname", pl.lit("-"), "surname2"))
    )
    public = pl.lit(None, dtype=pl.Utf8)
    for index, template in enumerate(_PUBLIC):
        parts = _template_expr(template)
        public = pl.when(pl.col("public") == index).then(parts).otherwise(public)
    export_form = pl.lit(None, dtype=pl.Utf8)
    for country, forms in _EXPORT_FORMS.items():
        chosen = pl.lit(None, dtype=pl.Utf8)
        for index, form in enumerate(forms):
            chosen = (
                pl.when(pl.col("export_form") % len(forms) == index)
                .then(pl.lit(form))
                .otherwise(chosen)
            )
        export_form = (
            pl.when(pl.col("country") == country).then(chosen).otherwise(export_form)
        )
    # Foreign firms get family names only: "Provence Logistique GmbH" would jar.
    foreign = (
        pl.when(pl.col("pattern") < 3)
        .then(pl.col("surname"))
        .otherwise(pl.concat_str("surname", pl.lit("-"), "surname2"))
    )
    named = frame.with_columns(
        pl.when(pl.col("segment") == "Public")
        .then(public)
        .when(pl.col("country") == "FR")
        .then(pl.concat_str(private, pl.lit(" "), "fr_form"))
        .otherwise(pl.concat_str(foreign, pl.lit(" "), export_form))
        .alias("name"),
        pl.when(pl.col("segment") == "Public")
        .then(public)
        .when(pl.col("country") == "FR")
        .then(private)
        .otherwise(foreign)
        .alias("_domain_text"),
    )
    return _with_emails(named, rng)


def _template_expr(template: str) -> pl.Expr:
    """A Polars expression filling `{town}`, `{surname}`, `{region}` in `template`."""
    pieces: list[pl.Expr] = []
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        field, _, rest = after.partition("}")
        if before:
            pieces.append(pl.lit(before))
        pieces.append(pl.col(field))
    if rest:
        pieces.append(pl.lit(rest))
    return pl.concat_str(pieces)


def _with_emails(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Add `slug`, `email` and `billing_email` from the domain text and country."""
    n = frame.height
    frame = frame.with_columns(_slug_expr(pl.col("_domain_text")).alias("slug"))
    tld = pl.col("country").replace_strict(_TLD, default="eu", return_dtype=pl.Utf8)
    domain = pl.concat_str("slug", pl.lit("."), tld, pl.lit(".example"))
    billing = rng.random(n) < 0.4
    return frame.with_columns(
        pl.concat_str(_pick(_MAILBOXES, rng, n), pl.lit("@"), domain).alias("email"),
        pl.when(pl.Series(billing))
        .then(pl.concat_str(pl.lit("factures@"), domain))
        .otherwise(pl.lit(""))
        .alias("billing_email"),
    ).select("name", "slug", "email", "billing_email")
