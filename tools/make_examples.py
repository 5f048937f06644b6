#!/usr/bin/python3
"""Builds the example data sets in examples/ from their sources.

letters.csv  Letter counts (a-z) over every word of three Debian word lists:
             wamerican (American English, 2020.12.07), wfrench (French, 1.2.7)
             and wngerman (German, new orthography, 20161207), from
             /usr/share/dict. Accents are folded to the base letter (é -> e,
             ü -> u), ß counts as s, s; other characters are skipped.
weldon_dice.csv
             W. F. R. Weldon's dice data: 26,306 throws of 12 dice, the number
             of dice per throw showing a 5 or a 6, as published by Karl
             Pearson (1900), "On the criterion that a given system of
             deviations ...", Philosophical Magazine 50(302): 157-175. Columns:
             the observed counts; `fair`, the binomial(12, 1/3) probabilities
             that fair dice give; `fitted`, binomial(12, p) with p estimated
             from the data (Pearson's point: the dice were not fair).
iris_versicolor.csv, iris_virginica.csv
             Fisher's (1936) iris measurements (Anderson's data), 50 flowers
             of each species, in cm: sepal_length, sepal_width, petal_length,
             petal_width. Read from the copy scikit-learn ships (Debian's
             python3-sklearn, sklearn/datasets/data/iris.csv).

Run with Debian's /usr/bin/python3 after `apt-get install wamerican wfrench
wngerman`; the outputs are committed, so nothing else needs the word lists.
"""
import csv
import os
import string
import unicodedata
from fractions import Fraction
from math import comb

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "examples")

WORD_LISTS = [
    ("english", "/usr/share/dict/american-english"),
    ("french", "/usr/share/dict/french"),
    ("german", "/usr/share/dict/ngerman"),
]


def letter_counts(path):
    counts = dict.fromkeys(string.ascii_lowercase, 0)
    with open(path, encoding="utf-8") as f:
        for word in f:
            word = word.strip().lower().replace("ß", "ss")
            for ch in unicodedata.normalize("NFD", word):
                if ch in counts:
                    counts[ch] += 1
    return counts


def write_letters():
    columns = [(name, letter_counts(path)) for name, path in WORD_LISTS]
    with open(os.path.join(OUT, "letters.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        # One row per letter, a to z, in order (the readers take numbers only).
        w.writerow([name for name, _ in columns])
        for letter in string.ascii_lowercase:
            w.writerow([c[letter] for _, c in columns])


# Pearson (1900): throws with k dice showing 5 or 6, k = 0..12.
WELDON = [185, 1149, 3265, 5475, 6114, 5194, 3067, 1331, 403, 105, 14, 4, 0]


def binomial_pmf(n, p):
    return [comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]


def write_weldon():
    assert sum(WELDON) == 26306
    throws = sum(WELDON)
    p_hat = Fraction(sum(k * c for k, c in enumerate(WELDON)), 12 * throws)
    fair = binomial_pmf(12, Fraction(1, 3))
    fitted = binomial_pmf(12, p_hat)
    with open(os.path.join(OUT, "weldon_dice.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["fives_or_sixes", "observed", "fair", "fitted"])
        for k in range(13):
            w.writerow([k, WELDON[k], repr(float(fair[k])), repr(float(fitted[k]))])


IRIS = "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv"


def write_iris():
    with open(IRIS) as f:
        rows = list(csv.reader(f))
    species = rows[0][2:]  # the header: n, features, then the class names
    for label, name in enumerate(species):
        if name == "setosa":
            continue
        out = os.path.join(OUT, "iris_%s.csv" % name)
        with open(out, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["sepal_length", "sepal_width", "petal_length",
                        "petal_width"])
            for r in rows[1:]:
                if int(r[4]) == label:
                    w.writerow(r[:4])


if __name__ == "__main__":
    write_letters()
    write_weldon()
    write_iris()
