"""Who says a quote: the ways news prose names a speaker, each in a small made-up article."""

from __future__ import annotations

import pytest

from tests.test_compare import article, compared


def speaker_of(words: str, *paragraphs: str) -> str | None:
    """The speaker the comparison gives the quote holding `words`, in one article."""
    event = compared(article("a", *paragraphs))
    (quote,) = [q for q in event.quotes if words in q.text]
    return quote.speaker


def test_one_surname_with_two_first_names_in_two_articles_is_one_person():
    # two outlets give the engineer two first names, and no article names two Halvorsens:
    # one person, named as first met, and no conflict between the outlets
    event = compared(
        article(
            "a",
            "Port engineer Jim Halvorsen inspected the piles.",
            '"The north side of the pier is rotten through," Halvorsen said.',
            source="Ledger",
        ),
        article(
            "b",
            "Port engineer James Halvorsen inspected the piles.",
            '"Nobody should fish from the end of it now," Halvorsen said.',
            source="Wire",
        ),
    )
    assert [(q.speaker, q.conflicts) for q in event.quotes] == [("Jim Halvorsen", [])] * 2


def test_a_surname_is_the_person_its_own_article_names():
    # two Norrgards in the coverage, one in each article
    event = compared(
        article(
            "a",
            "Mayor Ilse Norrgard and her brother, Judge Lars Norrgard, opened the session.",
            source="Ledger",
        ),
        article(
            "b",
            "Mayor Ilse Norrgard opened the session.",
            '"The pier will be rebuilt before the summer," Norrgard said.',
            source="Wire",
        ),
    )
    assert [q.speaker for q in event.quotes] == ["Ilse Norrgard"]


def test_a_surname_only_ever_given_with_a_title_is_a_person():
    assert (
        speaker_of(
            "pier",
            "President Okafor visited the harbour on Monday.",
            '"The pier will be rebuilt before the summer," Okafor told reporters.',
        )
        == "Okafor"
    )


@pytest.mark.parametrize(
    ("said", "speaker"),
    [
        ('"The ferry timetable stays as it is," the mayor said.', "Ilse Norrgard"),
        (
            'Asked about the cost, the mayor replied, "Every crown of it is budgeted."',
            "Ilse Norrgard",
        ),
        ('"I warned them about the piles years ago," said the former mayor.', "Oskar Brandt"),
    ],
)
def test_an_office_names_the_one_who_holds_it(said, speaker):
    assert (
        speaker_of(
            "",
            "Mayor Ilse Norrgard opened the session; former Mayor Oskar Brandt sat at the back.",
            said,
        )
        == speaker
    )


@pytest.mark.parametrize(
    "said",
    [
        '"How long will the berths stay closed?" Judge Vell asked.',
        '"Not one of the reports reached my desk," Judge Vell testified.',
    ],
)
def test_asking_replying_and_testifying_report_speech(said):
    assert speaker_of("", "Judge Tomas Vell heard the case.", said) == "Tomas Vell"


def test_a_participle_gives_the_words_of_its_sentences_subject():
    assert (
        speaker_of(
            "survey",
            "Mayor Ilse Norrgard blamed Port Engineer Tomas Vell for the delay, saying "
            '"the survey should have been finished in March."',
        )
        == "Ilse Norrgard"
    )


def test_the_verb_nearest_the_quote_decides_who_says_it():
    assert (
        speaker_of(
            "timber",
            "Mayor Ilse Norrgard opened the session.",
            "Officials said on Monday that the pier would close, and Norrgard later wrote "
            'that "the timber cannot be saved, whatever it costs."',
        )
        == "Ilse Norrgard"
    )


def test_a_pronoun_points_back_through_other_pronouns():
    # "He told the mayor": the mayor is told, the engineer speaks on
    assert (
        speaker_of(
            "engineers",
            "Port Engineer Tomas Vell toured the quay on Monday.",
            "He told Mayor Ilse Norrgard the piles were rotten.",
            '"Nobody reads what engineers write," he said.',
        )
        == "Tomas Vell"
    )


def test_the_one_who_says_something_is_whom_a_pronoun_means():
    assert (
        speaker_of(
            "harbour staff",
            "The plan angered Port Engineer Tomas Vell and drew the scorn of Mayor Ilse Norrgard, who said it "
            'was rushed. "Nobody asked the harbour staff about any of this," she said.',
        )
        == "Ilse Norrgard"
    )


def test_a_quote_running_on_into_the_next_paragraph_keeps_its_speaker():
    assert (
        speaker_of(
            "patience",
            "Mayor Ilse Norrgard opened the session.",
            '"The repairs will take all summer," Norrgard said in a statement.',
            '"We have asked the ferry company for patience and a smaller timetable."',
        )
        == "Ilse Norrgard"
    )


def test_a_quote_after_a_sentence_reporting_speech_is_its_subjects():
    assert (
        speaker_of(
            "survey",
            "Port Engineer Tomas Vell left the hearing early, saying he felt let down. "
            '"Nobody on the council has read my survey at all.',
        )
        == "Tomas Vell"
    )


@pytest.mark.parametrize(
    "said",
    [
        '"The swell broke two mooring lines," said the harbour master, Tomas Vell.',
        '"The swell broke two mooring lines," said harbour board engineer Tomas Vell.',
        '"The swell broke two mooring lines," Sen. Tomas Vell (Coast) told reporters.',
        '"The swell broke two mooring" lines overnight, said Tomas Vell.',
        '"The swell broke two mooring lines," the engineer Tomas Vell, who blames Mayor Oskar '
        "Brandt, wrote on Twitter.",
    ],
)
def test_the_speaker_named_after_the_quote_past_descriptions_and_broken_off_words(said):
    assert speaker_of("swell", "Port Engineer Tomas Vell met Oskar Brandt at the quay.", said) == (
        "Tomas Vell"
    )


def test_a_name_with_a_lower_case_particle():
    assert (
        speaker_of(
            "ferries",
            "Mayor Anna de Vries opened the session.",
            '"The ferries run again from Sunday," Ms. de Vries said.',
        )
        == "Anna de Vries"
    )


def test_a_capitalised_word_opening_a_sentence_is_no_first_name():
    # "Despite Norrgard saying" must not make a second Norrgard, whose surname would then
    # name neither
    assert (
        speaker_of(
            "closed",
            "Mayor Ilse Norrgard opened the session.",
            "Despite Norrgard saying the pier was safe, engineers shut it.",
            '"It stays closed until the survey is done," Norrgard said.',
        )
        == "Ilse Norrgard"
    )


def test_a_straight_mark_closes_a_curly_one():
    event = compared(
        article(
            "a",
            "Mayor Ilse Norrgard opened the session.",
            '“We will rebuild the pier before summer," Norrgard said. "The money is there for '
            "every plank of it.”",
        )
    )
    assert {q.text: q.speaker for q in event.quotes} == {
        "We will rebuild the pier before summer": "Ilse Norrgard",
        "The money is there for every plank of it.": "Ilse Norrgard",
    }


def test_a_quote_that_ends_its_sentence_is_not_the_next_sentences_speakers():
    event = compared(
        article(
            "a",
            "Mayor Ilse Norrgard and Port Engineer Tomas Vell wrote to each other all night.",
            "Ms. Norrgard wrote in an e-mail, “These figures do not add up at all.” Ten minutes "
            "later, Tomas Vell replied, saying, “We should meet before the vote.”",
        )
    )
    assert {q.text.split()[0]: q.speaker for q in event.quotes} == {
        "These": "Ilse Norrgard",
        "We": "Tomas Vell",
    }


def test_the_speaker_named_after_a_quote_is_whom_a_later_pronoun_means():
    assert (
        speaker_of(
            "ferries",
            "Port Engineer Tomas Vell and Mayor Ilse Norrgard met at the quay.",
            'As Port Engineer Tomas Vell looked on, "the berths reopen on Sunday," said Mayor '
            "Ilse Norrgard.",
            '"And the ferries run again from Monday," she added.',
        )
        == "Ilse Norrgard"
    )


def test_an_initial_before_a_surname_two_people_share_breaks_nothing():
    # a funeral notice: two Penhallows by first name, then one by an initial (a crash on a
    # real corpus), and a surname no text ties to one of them
    event = compared(
        article(
            "a",
            "Mourners included Mr. Arthur Penhallow and Mr. Edwin Penhallow of the mill.",
            "Flowers came from Mr R. Penhallow and from Miss Ada Tresize of the chapel.",
            "Mr. Penhallow said the mill would reopen in the spring.",
            '"He kept the mill running through two floods," Ada Tresize said.',
        )
    )
    assert [q.speaker for q in event.quotes] == ["Ada Tresize"]
