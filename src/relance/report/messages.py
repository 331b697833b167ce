"""The report's words in French and English (the glossary's credit terms).

A small catalogue: `message(key, lang, **values)` returns the text in `lang`
with `{name}` placeholders filled. French is the default language; a key that
is missing in a language is a bug, caught by the tests, not a silent fallback.
"""

from __future__ import annotations

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_MESSAGES: dict[str, dict[str, str]] = {
    # Page
    "title": {"fr": "Rapport du poste client", "en": "Receivables report"},
    "as_of": {"fr": "Situation au {day}", "en": "As of {day}"},
    "period": {
        "fr": "Période : du {start} au {end} ({days} jours)",
        "en": "Period: {start} to {end} ({days} days)",
    },
    "currency_section": {"fr": "Montants en {currency}", "en": "Amounts in {currency}"},
    "currency_note": {
        "fr": "Une section par devise : les montants de devises différentes ne "
        "sont jamais additionnés.",
        "en": "One section per currency: amounts of different currencies are "
        "never added.",
    },
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "no_data": {
        "fr": "Aucune écriture comptabilisée : rien à mesurer.",
        "en": "No posted document or payment: nothing to measure.",
    },
    "footer": {
        "fr": "Produit par relance. Définitions des indicateurs : docs/figures.md "
        "et docs/report.md.",
        "en": "Made by relance. Definitions of the figures: docs/figures.md and "
        "docs/report.md.",
    },
    "show_table": {"fr": "Voir les chiffres", "en": "Show the numbers"},
    "missing_note": {
        "fr": "« — » : non mesurable (pas de chiffre d'affaires, pas de règlement…).",
        "en": "“—”: cannot be measured (no sales, no payment…).",
    },
    # Headline groups
    "group_receivables": {"fr": "Encours client", "en": "Receivables"},
    "group_dso": {"fr": "DSO", "en": "DSO"},
    "group_recovery": {"fr": "Recouvrement", "en": "Recovery"},
    "group_delays": {
        "fr": "Délais de paiement (règlements de la période)",
        "en": "Payment delays (payments of the period)",
    },
    # Headline figures
    "receivables": {"fr": "Encours client", "en": "Receivables"},
    "overdue": {"fr": "Échu", "en": "Overdue"},
    "not_due": {"fr": "Non échu", "en": "Not yet due"},
    "unapplied": {"fr": "Règlements non lettrés", "en": "Unapplied cash"},
    "disputed": {"fr": "En litige", "en": "Disputed"},
    "sales": {"fr": "Chiffre d'affaires de la période", "en": "Sales of the period"},
    "share_of_receivables": {
        "fr": "{share} de l'encours",
        "en": "{share} of receivables",
    },
    "dso_accounting": {
        "fr": "DSO (méthode comptable)",
        "en": "DSO (accounting method)",
    },
    "dso_countback": {
        "fr": "DSO par épuisement du chiffre d'affaires",
        "en": "Count-back DSO",
    },
    "best_possible": {"fr": "DSO incompressible", "en": "Best possible DSO"},
    "days_delinquent": {"fr": "Retard moyen (jours de DSO)", "en": "Days delinquent"},
    "days_delinquent_note": {
        "fr": "DSO − DSO incompressible",
        "en": "DSO − best possible DSO",
    },
    "cei": {
        "fr": "Taux d'efficacité du recouvrement (CEI)",
        "en": "Collection effectiveness index (CEI)",
    },
    "cohort_rate": {
        "fr": "Taux de recouvrement de l'échu d'ouverture",
        "en": "Recovery rate of the opening overdue",
    },
    "cohort_note": {
        "fr": "{collected} encaissés sur {stock}",
        "en": "{collected} collected of {stock}",
    },
    "period_rate": {
        "fr": "Taux de recouvrement de la période",
        "en": "Recovery rate of the period",
    },
    "period_rate_note": {
        "fr": "{collected} sur {stock} (échu d'ouverture + nouvel échu)",
        "en": "{collected} of {stock} (opening + new overdue)",
    },
    "write_offs": {"fr": "Passages en perte", "en": "Write-offs"},
    "bad_debt_ratio": {
        "fr": "Taux de créances irrécouvrables (12 mois)",
        "en": "Bad-debt ratio (12 months)",
    },
    "days_to_pay": {"fr": "Délai moyen de règlement", "en": "Average days to pay"},
    "days_beyond_terms": {
        "fr": "Écart moyen à l'échéance",
        "en": "Average days beyond terms",
    },
    "days_late": {
        "fr": "Retard moyen des règlements",
        "en": "Average days late",
    },
    "weighted_note_one": {
        "fr": "un seul règlement",
        "en": "a single payment",
    },
    "weighted_note": {
        "fr": "pondéré par les montants, {payments} règlements",
        "en": "weighted by amount, {payments} payments",
    },
    "on_time_count": {
        "fr": "Règlements dans les délais (en nombre)",
        "en": "Paid on time (by count)",
    },
    "on_time_amount": {
        "fr": "Règlements dans les délais (en montant)",
        "en": "Paid on time (by amount)",
    },
    # DSO trend
    "dso_trend": {"fr": "Évolution du DSO sur 24 mois", "en": "DSO over 24 months"},
    "dso_trend_note": {
        "fr": "Chaque point : DSO à la fin du mois (au {day} pour le dernier), "
        "mesuré sur les {months} mois qui s'y terminent.",
        "en": "Each point: the DSO at the month's end ({day} for the last one), "
        "measured over the {months} months ending there.",
    },
    "dso_partial_note": {
        "fr": "Avant {month}, la fenêtre de {months} mois commence avant la "
        "première facture enregistrée : le chiffre d'affaires y est incomplet, "
        "le DSO comptable et le DSO incompressible ne sont pas tracés.",
        "en": "Before {month}, the {months}-month window starts before the first "
        "recorded invoice: its sales are incomplete, so the accounting and best "
        "possible DSO are not drawn.",
    },
    "month": {"fr": "Mois", "en": "Month"},
    # Aging
    "aging": {"fr": "Balance âgée", "en": "Aged balance"},
    "aging_note": {
        "fr": "Jours de retard à la date de situation ; les tranches additionnées "
        "donnent l'encours.",
        "en": "Days past due on the as-of date; the buckets add up to the receivables.",
    },
    "bucket": {"fr": "Tranche", "en": "Bucket"},
    "amount": {"fr": "Montant", "en": "Amount"},
    "share": {"fr": "Part", "en": "Share"},
    "total": {"fr": "Total", "en": "Total"},
    "bucket_not_due": {"fr": "Non échu", "en": "Not due"},
    "bucket_1_30": {"fr": "1–30 j", "en": "1–30 d"},
    "bucket_31_60": {"fr": "31–60 j", "en": "31–60 d"},
    "bucket_61_90": {"fr": "61–90 j", "en": "61–90 d"},
    "bucket_over_90": {"fr": "91 j et plus", "en": "91+ d"},
    "bucket_unapplied": {"fr": "Non lettré", "en": "Unapplied"},
    # Delay distribution
    "distribution": {
        "fr": "Répartition des règlements par retard",
        "en": "Payments by days beyond terms",
    },
    "distribution_note": {
        "fr": "Règlements de la période, par jours après l'échéance.",
        "en": "Payments of the period, by days after the due date.",
    },
    "by_count": {"fr": "En nombre", "en": "By count"},
    "by_amount": {"fr": "En montant", "en": "By amount"},
    "band": {"fr": "Retard", "en": "Days beyond terms"},
    "count": {"fr": "Nombre", "en": "Count"},
    "band_early": {"fr": "En avance", "en": "Early"},
    "band_on_time": {"fr": "Le jour de l'échéance", "en": "On the due date"},
    "band_1_5": {"fr": "1–5 j", "en": "1–5 d"},
    "band_6_15": {"fr": "6–15 j", "en": "6–15 d"},
    "band_16_30": {"fr": "16–30 j", "en": "16–30 d"},
    "band_31_60": {"fr": "31–60 j", "en": "31–60 d"},
    "band_61_plus": {"fr": "61 j et plus", "en": "61+ d"},
    # Cost of lateness
    "top_customers": {
        "fr": "Les {count} clients dont les retards coûtent le plus",
        "en": "The {count} customers whose lateness costs the most",
    },
    "top_note": {
        "fr": "Coût du retard = Σ reste dû × jours de retard des factures échues "
        "au {day} + Σ montant × jours de retard des règlements de la période "
        "(en {currency} × jours).",
        "en": "Cost of lateness = Σ residual × days past due of the invoices "
        "overdue on {day} + Σ amount × days late of the period's payments "
        "(in {currency} × days).",
    },
    "rank": {"fr": "Rang", "en": "Rank"},
    "customer": {"fr": "Client", "en": "Customer"},
    "overdue_invoices": {"fr": "Factures échues", "en": "Overdue invoices"},
    "overdue_age": {"fr": "Retard moyen de l'échu", "en": "Average days past due"},
    "paid_in_period": {"fr": "Réglé sur la période", "en": "Paid in the period"},
    "cost": {"fr": "Coût du retard ({currency} × j)", "en": "Cost ({currency} × days)"},
    "share_of_cost": {"fr": "Part du coût", "en": "Share of cost"},
    "no_lateness": {
        "fr": "Aucun retard : aucun client ne coûte de jours de retard.",
        "en": "No lateness: no customer costs any late days.",
    },
    # Disputes
    "disputed_items": {"fr": "Factures en litige", "en": "Disputed items"},
    "disputed_summary_one": {
        "fr": "1 pièce en litige pour {amount}, soit {share} de l'encours.",
        "en": "1 disputed item for {amount}, {share} of receivables.",
    },
    "disputed_summary": {
        "fr": "{items} pièces en litige pour {amount}, soit {share} de l'encours.",
        "en": "{items} disputed items for {amount}, {share} of receivables.",
    },
    "disputed_more": {
        "fr": "… et {more} autres pièces en litige (les plus gros montants sont "
        "listés).",
        "en": "… and {more} more disputed items (the largest are listed).",
    },
    "disputed_more_one": {
        "fr": "… et une autre pièce en litige (les plus gros montants sont listés).",
        "en": "… and one more disputed item (the largest are listed).",
    },
    "no_disputes": {"fr": "Aucune facture en litige.", "en": "No disputed item."},
    "document": {"fr": "Pièce", "en": "Document"},
    "issue_date": {"fr": "Date", "en": "Issued"},
    "due_date": {"fr": "Échéance", "en": "Due"},
    "original_amount": {"fr": "Montant initial", "en": "Original amount"},
    "residual": {"fr": "Reste dû", "en": "Open"},
    "days_past_due": {"fr": "Jours de retard", "en": "Days past due"},
}


def message(key: str, lang: str, **values: object) -> str:
    """The text of `key` in `lang`, placeholders filled from `values`."""
    text = _MESSAGES[key][lang]
    return text.format(**values) if values else text


def counted(key: str, count: int, lang: str, **values: object) -> str:
    """`message(key)`, or its `key_one` variant when `count` is 1 and it exists.

    Placeholders the chosen text does not use are ignored.
    """
    chosen = f"{key}_one" if count == 1 and f"{key}_one" in _MESSAGES else key
    return _MESSAGES[chosen][lang].format(**values)


def keys() -> list[str]:
    """Every message key (for the tests: each must exist in every language)."""
    return list(_MESSAGES)


def translations(key: str) -> dict[str, str]:
    """The texts of one key, per language."""
    return dict(_MESSAGES[key])
