"""Helpers for loading, cleaning, counting and charting Arabic news corpora.

Everything a notebook needs is importable from here::

    import helpers
    articles, report = helpers.load_corpus("data/raw")
    articles["clean"] = helpers.normalize(articles["body"], preset="search")
    tokens = helpers.tokenize(articles["clean"])

Names are resolved lazily, so ``import helpers`` is instant and pulls in pandas,
matplotlib or nbconvert only when a function that needs them is first used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# helpers.<name> -> the module that defines it. Written out rather than read from the
# modules, so that ``import helpers`` imports none of them (a notebook asking for
# ``helpers.load_corpus`` must not pay for matplotlib, scikit-learn or nbconvert);
# tests/test_package.py checks it equals the modules' ``__all__``, name for name.
EXPORTS: dict[str, str] = {
    # helpers.corpus
    "cached_shards": "corpus",
    "COLUMNS": "corpus",
    "CorpusError": "corpus",
    "FIELD_ALIASES": "corpus",
    "iter_corpus": "corpus",
    "iter_shards": "corpus",
    "load_corpus": "corpus",
    "load_processed": "corpus",
    "LoadReport": "corpus",
    "LoadWarning": "corpus",
    "read_shards_dask": "corpus",
    "save_processed": "corpus",
    "shard_paths": "corpus",
    "shard_report": "corpus",
    "Skipped": "corpus",
    "write_frames": "corpus",
    "write_shards": "corpus",
    # helpers.token_cache
    "cached_tokens": "token_cache",
    "cached_table": "token_cache",
    "TOKEN_CACHES_KEPT": "token_cache",
    # helpers.cleaning
    "count_presentation_forms": "cleaning",
    "CORPUS_STEPS": "cleaning",
    "fold_presentation_forms": "cleaning",
    "normalize": "cleaning",
    "normalize_alef": "cleaning",
    "normalize_alef_maksura": "cleaning",
    "normalize_digits": "cleaning",
    "normalize_hamza": "cleaning",
    "normalize_punctuation": "cleaning",
    "normalize_teh_marbuta": "cleaning",
    "normalize_whitespace": "cleaning",
    "PRESETS": "cleaning",
    "remove_bidi_controls": "cleaning",
    "remove_diacritics": "cleaning",
    "remove_emails": "cleaning",
    "remove_html": "cleaning",
    "remove_tatweel": "cleaning",
    "remove_urls": "cleaning",
    "STEPS": "cleaning",
    "to_arabic_indic_digits": "cleaning",
    # helpers.boilerplate
    "Boilerplate": "boilerplate",
    "find_boilerplate": "boilerplate",
    "without_boilerplate": "boilerplate",
    # helpers.tokens
    "light_stem": "tokens",
    "sentences": "tokens",
    "stopwords": "tokens",
    "strip_clitics": "tokens",
    "tokenize": "tokens",
    # helpers.forms
    "TOKEN_COLUMNS": "forms",
    "in_written_form": "forms",
    "written_forms": "forms",
    # helpers.display
    "ARABIC_FONT_STACK": "display",
    "bdi": "display",
    "before_after": "display",
    "bullets": "display",
    "escape": "display",
    "HTML": "display",
    "note": "display",
    "plain_text": "display",
    "rtl_table": "display",
    "rtl_text": "display",
    "side_by_side": "display",
    "STYLESHEET": "display",
    "stylesheet": "display",
    "visible_controls": "display",
    # helpers.overview
    "article_lengths": "overview",
    "articles_per": "overview",
    "articles_per_month": "overview",
    "clean_corpus": "overview",
    "cleaning_examples": "overview",
    "corpus_overview": "overview",
    "corpus_summary": "overview",
    "CorpusOverview": "overview",
    "largest_outlet": "overview",
    "sample_articles": "overview",
    "skipped_files": "overview",
    # helpers.encoded
    "encode": "encoded",
    "Encoded": "encoded",
    # helpers.stats
    "corpus_stats": "stats",
    "dispersion": "stats",
    "dispersion_positions": "stats",
    "diversity": "stats",
    "frequencies": "stats",
    "heaps": "stats",
    "length_distribution": "stats",
    "subset": "stats",
    "zipf": "stats",
    # helpers.ngram_counts
    "ngrams": "ngram_counts",
    # helpers.timelines
    "trend_table": "timelines",
    "trends": "timelines",
    # helpers.association
    "collocations": "association",
    "distinctive_terms": "association",
    "key_term_profile": "association",
    "key_term_trends": "association",
    "keyness": "association",
    "MEASURES": "association",
    "outlet_keyness": "association",
    # helpers.reference: general Arabic (wordfreq) as a reference corpus
    "general_arabic": "reference",
    "general_keyness": "reference",
    # helpers.concordance
    "Concordance": "concordance",
    "kwic": "concordance",
    "kwic_html": "concordance",
    "query_pattern": "concordance",
    # helpers.duplicates
    "copy_matrix": "duplicates",
    "drop_near_duplicates": "duplicates",
    "duplicate_clusters": "duplicates",
    "minhash_signatures": "duplicates",
    "near_duplicates": "duplicates",
    "shared_copy": "duplicates",
    # helpers.topicmodels
    "TopicModel": "topicmodels",
    "topics": "topicmodels",
    # helpers.rtl
    "arabic_font": "rtl",
    "diagnose": "rtl",
    "FontChoice": "rtl",
    "for_matplotlib": "rtl",
    "for_pillow": "rtl",
    "for_svg": "rtl",
    "has_rtl": "rtl",
    "logical_labels": "rtl",
    "matplotlib_layout": "rtl",
    "MatplotlibLayout": "rtl",
    "pillow_layout_engine": "rtl",
    "visual": "rtl",
    # helpers.streaming
    "clean_shards": "streaming",
    "CorpusCounts": "streaming",
    "count_chunk": "streaming",
    "count_corpus": "streaming",
    "dask_client": "streaming",
    "dask_counts": "streaming",
    # helpers.prose: the "what we saw" of each notebook
    "what_we_saw": "prose.load_and_clean",
    "what_we_saw_explore": "prose.explore",
    "what_we_saw_statistics": "prose.statistics",
    "what_we_saw_charts": "prose.charts",
    "trends_note": "prose.compare_sources",
    "what_we_saw_compare": "prose.compare_sources",
    "what_we_saw_scale": "prose.scale_out",
}

# submodules and subpackages reachable as attributes (helpers.charts, helpers.paths, ...)
SUBMODULES = frozenset({
    "paths", "resources", "corpus", "textengine", "cleaning", "boilerplate", "tokens",
    "token_cache", "forms", "encoded", "stats", "ngram_counts", "timelines", "association", "reference",
    "concordance",
    "duplicates", "topicmodels", "streaming", "display", "rtl", "charts", "overview",
    "prose", "reports",
})


def __getattr__(name: str):
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name.startswith("_"):
        raise AttributeError(name)
    mod = EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(EXPORTS) | SUBMODULES)
