"""A store that holds no published figures gives an empty published series, not an error."""

from legalstay.stats import bundled_observations, published_series


def test_a_store_without_published_figures_gives_an_empty_series():
    observations = bundled_observations()
    only_eurostat = observations.filter(observations["dataset"] == "migr_resvalid")
    only_eurostat = only_eurostat.select(
        [c for c in only_eurostat.columns if c not in ("figure", "note", "measure")]
    )
    assert published_series(only_eurostat, "permits_held", "BY", "PL").height == 0
