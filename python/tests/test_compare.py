"""kldiv.compare against independent references: NumPy's bin edges and
histograms, SciPy's jensenshannon, ks_2samp and chi2_contingency."""

import json

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

import kldiv

pd = pytest.importorskip("pandas")


def binned_counts(x, edges):
    """Counts on the bins kldiv uses: below edges[0], NumPy's bins (the last
    one closed), above edges[-1]."""
    inner, _ = np.histogram(x, edges)
    return np.concatenate([[np.sum(x < edges[0])], inner,
                           [np.sum(x > edges[-1])]])


def test_numeric_column_against_numpy_and_scipy():
    rng = np.random.default_rng(3)
    ref = rng.normal(0.0, 1.0, 400)
    cur = rng.normal(0.3, 1.2, 300)
    c = kldiv.compare(ref, cur, permutations=0, bootstrap=0)["value"]
    edges = np.histogram_bin_edges(ref, bins="auto")
    np.testing.assert_allclose(c.edges, edges, rtol=1e-12)
    rc, cc = binned_counts(ref, edges), binned_counts(cur, edges)
    assert cc[0] + cc[-1] > 0   # the outer bins are used
    np.testing.assert_array_equal(c.reference_counts, rc)
    np.testing.assert_array_equal(c.current_counts, cc)
    js = jensenshannon(cc / cc.sum(), rc / rc.sum(), base=2) ** 2
    assert c.js_bits == pytest.approx(js, rel=1e-8, abs=1e-12)
    ks = stats.ks_2samp(cur, ref)
    assert c.tests["Kolmogorov-Smirnov"]["p_value"] == pytest.approx(
        ks.pvalue, rel=1e-8)
    assert c.tests["Kolmogorov-Smirnov"]["statistic"] == pytest.approx(
        ks.statistic, rel=1e-12)
    assert c.kind == "numeric" and c.n_reference == 400 and c.n_current == 300
    assert len(c.bins) == len(edges) + 1
    assert c.js_ci is None and "JS permutation" not in c.tests


def test_explicit_bins_as_kl_histogram_takes_them():
    ref = [0.0, 0.5, 1.0, 1.5, 2.0]
    cur = [0.2, 0.4, 1.7, 2.5]
    c = kldiv.compare(ref, cur, bins=[0.0, 1.0, 2.0], permutations=0,
                      bootstrap=0)["value"]
    assert c.edges.tolist() == [0.0, 1.0, 2.0]
    assert c.reference_counts.tolist() == [0, 2, 3, 0]
    assert c.current_counts.tolist() == [0, 2, 1, 1]
    with pytest.raises(ValueError, match="bins"):
        kldiv.compare(ref, cur, bins="nope")


def test_categorical_column_against_chi2_contingency():
    rng = np.random.default_rng(5)
    ref = rng.choice(["a", "b", "c", "d"], 500, p=[0.4, 0.3, 0.2, 0.1])
    cur = rng.choice(["a", "b", "c", "d"], 350, p=[0.3, 0.3, 0.25, 0.15])
    c = kldiv.compare(ref, cur, permutations=0, bootstrap=0)["value"]
    assert c.kind == "categorical" and c.edges is None
    assert c.bins == ["a", "b", "c", "d", "(unseen)"]
    rc = [int(np.sum(ref == k)) for k in "abcd"]
    cc = [int(np.sum(cur == k)) for k in "abcd"]
    assert c.reference_counts.tolist() == rc + [0]
    assert c.current_counts.tolist() == cc + [0]
    chi2, p, df, _ = stats.chi2_contingency(np.array([cc, rc]))
    t = c.tests["chi-square"]
    assert t["p_value"] == pytest.approx(p, rel=1e-8)
    assert t["statistic"] == pytest.approx(chi2, rel=1e-10)
    assert t["df"] == df
    js = jensenshannon(np.array(cc) / sum(cc), np.array(rc) / sum(rc),
                       base=2) ** 2
    assert c.js_bits == pytest.approx(js, rel=1e-8)


def test_dataframe_with_numeric_categorical_and_missing_values():
    ref = pd.DataFrame({
        "x": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0],
        "colour": ["red", None, "blue", "red", pd.NA, "blue"],
        "n": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
        "flag": [True, False, True, True, False, True],
        "only_ref": [1, 2, 3, 4, 5, 6],
    })
    cur = pd.DataFrame({
        "x": [1.5, np.nan, np.nan, 3.0, 4.5],
        "colour": pd.Series(["red", "green", "blue", None, "red"],
                            dtype="category"),
        "n": [2.0, 3.0, 4.0, 5.0, 6.0],
        "flag": [True, False, None, True, True],
    })
    r = kldiv.compare(ref, cur, permutations=50, bootstrap=0)
    assert sorted(c.name for c in r) == ["colour", "flag", "n", "x"]
    x, colour, n, flag = r["x"], r["colour"], r["n"], r["flag"]
    assert (x.kind, x.n_reference, x.missing_reference, x.n_current,
            x.missing_current) == ("numeric", 5, 1, 3, 2)
    assert (colour.kind, colour.n_reference, colour.missing_reference,
            colour.n_current, colour.missing_current) == (
                "categorical", 4, 2, 4, 1)
    assert colour.bins == ["blue", "red", "(unseen)"]
    assert colour.current_counts.tolist() == [1, 2, 1]   # "green" unseen
    assert (n.kind, n.missing_reference, n.missing_current) == (
        "numeric", 1, 0)
    assert (flag.kind, flag.missing_current) == ("categorical", 1)
    assert flag.bins == ["False", "True", "(unseen)"]
    # A 2-D array: columns "0", "1", NaN missing.
    a = np.array([[1.0, np.nan], [2.0, 3.0], [3.0, 4.0]])
    r2 = kldiv.compare(a, a, permutations=0, bootstrap=0)
    assert sorted(c.name for c in r2) == ["0", "1"]
    assert r2["1"].missing_reference == 1 and r2["1"].js_bits == 0.0
    # A list with None is numeric, the None missing.
    c = kldiv.compare([1, 2, None, 4], [1.5, 2.5], permutations=0,
                      bootstrap=0)["value"]
    assert (c.kind, c.missing_reference, c.n_reference) == ("numeric", 1, 3)


def test_overrides_and_column_choice():
    ref = {"code": [1, 2, 2, 3], "v": [0.1, 0.2, 0.3, 0.4]}
    cur = {"code": [1, 1, 2, 3], "v": [0.1, 0.25, 0.3, 0.5]}
    r = kldiv.compare(ref, cur, columns=["code"], categorical="code",
                      permutations=0, bootstrap=0)
    assert [c.name for c in r] == ["code"]
    assert r["code"].kind == "categorical"
    assert r["code"].bins == ["1", "2", "3", "(unseen)"]
    r = kldiv.compare({"s": ["1", "2.5"]}, {"s": ["3", "4"]}, numeric="s",
                      permutations=0, bootstrap=0)
    assert r["s"].kind == "numeric"
    with pytest.raises(ValueError, match="'s'.*'x' is not a number"):
        kldiv.compare({"s": ["1", "x"]}, {"s": ["3"]}, numeric="s")
    with pytest.raises(ValueError, match="no column 'w' in the reference"):
        kldiv.compare(ref, cur, columns=["w"])


def test_one_distribution_no_drift_shifted_drift():
    rng = np.random.default_rng(11)
    ref = rng.normal(0.0, 1.0, 2000)
    same = rng.normal(0.0, 1.0, 1000)
    shifted = rng.normal(0.6, 1.0, 1000)
    r = kldiv.compare({"a": ref}, {"a": same}, seed=1)
    assert r["a"].verdict == "no drift", r["a"].reason
    r = kldiv.compare({"a": ref}, {"a": shifted}, seed=1)
    c = r["a"]
    assert c.verdict == "drift", c.reason
    assert c.p_value("JS permutation") < 0.01
    assert c.js_ci is not None and c.js_ci[0] <= c.js_bits <= c.js_ci[1]
    # Reproducible for a seed, whatever the threads.
    again = kldiv.compare({"a": ref}, {"a": shifted}, seed=1, threads=1)["a"]
    assert again.tests["JS permutation"] == c.tests["JS permutation"]
    assert again.js_ci == c.js_ci


def make_result():
    rng = np.random.default_rng(2)
    ref = pd.DataFrame({"same": rng.normal(size=300),
                        "moved": rng.normal(size=300),
                        "kind <b>": rng.choice(["u", "v"], 300)})
    cur = pd.DataFrame({"same": rng.normal(size=200),
                        "moved": rng.normal(1.0, 1.0, 200),
                        "kind <b>": rng.choice(["u", "v", "w"], 200)})
    return kldiv.compare(ref, cur, permutations=200, bootstrap=50, seed=3)


def test_to_frame_columns_and_order():
    r = make_result()
    f = r.to_frame()
    assert list(f.columns) == [
        "column", "kind", "n_reference", "n_current", "missing_reference",
        "missing_current", "js_bits", "kl_current_reference",
        "kl_reference_current", "hellinger", "total_variation", "psi",
        "ks_p", "chi2_p", "js_permutation_p", "verdict", "reason"]
    assert list(f["column"]) == [c.name for c in r.columns]
    assert f["column"].iloc[0] == "moved" and f["verdict"].iloc[0] == "drift"
    severity = {"drift": 2, "possible drift": 1, "no drift": 0}
    s = [severity[v] for v in f["verdict"]]
    assert s == sorted(s, reverse=True)
    row = f.set_index("column").loc["kind <b>"]
    assert np.isnan(row["ks_p"]) and 0 < row["chi2_p"] <= 1
    assert f.set_index("column").loc["same", "ks_p"] == pytest.approx(
        r["same"].tests["Kolmogorov-Smirnov"]["p_value"])


def test_to_dict_is_json_and_to_html_is_static():
    r = make_result()
    d = r.to_dict()
    back = json.loads(json.dumps(d))
    assert [c["name"] for c in back["columns"]] == [c.name for c in r]
    moved = back["columns"][0]
    assert isinstance(moved["edges"], list) and moved["js_ci"] is not None
    assert set(moved["tests"]) >= {"Kolmogorov-Smirnov", "JS permutation"}
    # Without smoothing, "w" (unseen in the reference) makes KL infinite.
    cat = r["kind <b>"].to_dict()
    assert cat["kl_current_reference"] == float("inf")
    assert "Infinity" in json.dumps(cat)
    page = r.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower() and "http" not in page
    for c in r:
        assert __import__("html").escape(c.name) in page
    assert "kind &lt;b&gt;" in page and "kind <b>" not in page
    text = repr(r)
    assert text.splitlines()[1].split()[:2] == ["moved", "drift"]


def test_errors_name_the_column():
    with pytest.raises(ValueError, match="column 'col_a' is numeric in the "
                       "reference but categorical in the current data"):
        kldiv.compare({"col_a": [1.0, 2.0]}, {"col_a": ["x", "y"]})
    with pytest.raises(ValueError, match="column 'e' has no values in the "
                       r"current data \(2 missing\)"):
        kldiv.compare({"e": [1.0, 2.0]}, {"e": [np.nan, np.nan]})
    with pytest.raises(ValueError, match="no column is shared"):
        kldiv.compare({"a": [1.0]}, {"b": [1.0]})
    with pytest.raises(ValueError, match="both numeric and categorical"):
        kldiv.compare({"a": [1.0]}, {"a": [1.0]}, numeric="a",
                      categorical=["a"])


def test_notebooks_show_the_report_in_an_iframe():
    # Jupyter calls _repr_html_: the report, escaped into an iframe's srcdoc
    # (its style sheet must not restyle the notebook), unescaped intact.
    import html as html_module
    r = kldiv.compare([1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, 9.0],
                      permutations=10, bootstrap=0)
    cell = r._repr_html_()
    assert cell.startswith('<iframe srcdoc="') and cell.endswith("</iframe>")
    assert "<style>" not in cell and "<svg" not in cell
    inner = cell[len('<iframe srcdoc="'):cell.index('" style=')]
    assert html_module.unescape(inner) == r.to_html()
    fit = kldiv.fit([0, 1, 1, 2, 2, 2, 3])
    inner = fit._repr_html_()[len('<iframe srcdoc="'):]
    assert html_module.unescape(inner[:inner.index('" style=')]) == fit.to_html()
