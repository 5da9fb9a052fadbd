"""People's names in sources.csv: which word is the family name.

A name is read given name(s) first ("Tsuneo Akaha"), unless one word is written in capitals: that
word is the family name, as in Japanese and Russian scholarship in English ("TORII Ryūzō" for
鳥居龍蔵, family name first). Capitals are only the mark in the data; every display writes the name
in ordinary case, in the order the data gives.
"""

__all__ = ["split", "display", "family_first"]


def _caps(word):
    return len(word) > 1 and word.isalpha() and word.isupper()


def split(name):
    """``(family, given)``: ``("Akaha", "Tsuneo")`` for "Tsuneo Akaha", ``("Torii", "Ryūzō")`` for
    "TORII Ryūzō"; one word: ``(name, "")``."""
    words = name.split()
    marked = [i for i, w in enumerate(words) if _caps(w)]
    if len(words) < 2:
        return name, ""
    at = marked[0] if len(marked) == 1 else len(words) - 1
    given = " ".join(w for i, w in enumerate(words) if i != at)
    return words[at].title() if marked else words[at], given


def family_first(name):
    """Is the family name written first (a capitalised first word followed by a given name)?"""
    words = name.split()
    return len(words) > 1 and _caps(words[0]) and not any(_caps(w) for w in words[1:])


def display(text):
    """The text with every capitalised family name in ordinary case ("Torii Ryūzō")."""
    return " ".join(w.title() if _caps(w) else w for w in text.split(" "))
