"""The API's field types: strings annotated with their limits, their checks (see
:mod:`timeline.events.texts`) and the JSON Schema patterns that describe them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Discriminator, Field
from pydantic import Tag as Form

from timeline.dates.spans import DATE_FORMS, DAY_FORM, PUBLISHED_FORMS, TODAY
from timeline.events.texts import (
    check_date_form,
    check_day,
    check_label,
    check_language,
    check_multi_line,
    check_not_blank,
    check_one_line,
    check_organization,
    check_published,
    check_reference,
    check_timezone,
    check_url,
    multi_line_pattern,
    one_line_pattern,
)

EVENT_ID = r"^[a-z0-9][a-z0-9-]{0,99}$"
MAX_TAGS = 50
#: The longest description, in characters (Unicode code points): a length that every
#: calendar and feed client we publish to keeps whole (issue 12, "Field-ready").
MAX_DESCRIPTION = 8_000


def _line(max_length: int, description: str, *, min_length: int = 0) -> Any:
    return Field(
        min_length=min_length,
        max_length=max_length,
        description=description,
        json_schema_extra={"pattern": one_line_pattern()},
    )


Title = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        description="One line of plain text, kept exactly; not blank.",
        json_schema_extra={"pattern": one_line_pattern(not_blank=True)},
    ),
    AfterValidator(check_one_line),
    AfterValidator(check_not_blank),
]
Description = Annotated[
    str,
    Field(
        max_length=MAX_DESCRIPTION,
        description=(
            f"Plain text (never HTML), kept exactly; line breaks allowed; at most "
            f"{MAX_DESCRIPTION} characters, which every client keeps whole."
        ),
        json_schema_extra={"pattern": multi_line_pattern()},
    ),
    AfterValidator(check_multi_line),
]
LanguageTag = Annotated[
    str,
    Field(
        max_length=35,
        description="A BCP 47 language tag (RFC 5646): `en`, `zh`, `zh-Hant`...",
        json_schema_extra={"pattern": r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"},
    ),
    AfterValidator(check_language),
]


def _form(value: Any) -> str:
    return "languages" if isinstance(value, dict) else "text"


#: The union tags of a text given by language, which error locations leave out.
TEXT_FORMS = ("text", "languages")
TitleTexts = Annotated[
    Annotated[Title, Form("text")]
    | Annotated[
        dict[LanguageTag, Title],
        Form("languages"),
        Field(
            min_length=1,
            title="Titles",
            description='The title by BCP 47 language tag: {"zh": "…", "en": "…"}.',
        ),
    ],
    Discriminator(_form),
]
DescriptionTexts = Annotated[
    Annotated[Description, Form("text")]
    | Annotated[
        dict[LanguageTag, Description],
        Form("languages"),
        Field(
            title="Descriptions",
            description="The description by BCP 47 language tag, each a language of a title.",
        ),
    ],
    Discriminator(_form),
]
#: In a merge patch (RFC 7396), a language's text may be null: it is removed.
TitlePatch = Annotated[
    Annotated[Title, Form("text")]
    | Annotated[dict[LanguageTag, Title | None], Form("languages"), Field(title="TitlesPatch")],
    Discriminator(_form),
]
DescriptionPatch = Annotated[
    Annotated[Description, Form("text")]
    | Annotated[
        dict[LanguageTag, Description | None], Form("languages"), Field(title="DescriptionsPatch")
    ],
    Discriminator(_form),
]
Line300 = Annotated[str, _line(300, "One line of plain text."), AfterValidator(check_one_line)]
Tag = Annotated[
    str,
    _line(100, "A tag as written; it must contain a letter or digit.", min_length=1),
    AfterValidator(check_one_line),
    AfterValidator(check_label),
]
OrganizationName = Annotated[
    str,
    _line(100, "An organization's name or alias.", min_length=1),
    AfterValidator(check_one_line),
    AfterValidator(check_organization),
]
DateText = Annotated[
    str,
    Field(
        max_length=40,
        description=(
            "YYYY (a year), YYYY-MM (a month), YYYY-MM-DD (an all-day date), or an RFC 3339 "
            "date-time; without an offset the wall time is read in `timezone`."
        ),
        json_schema_extra={"pattern": DATE_FORMS},
    ),
    AfterValidator(check_date_form),
]
DayText = Annotated[
    str,
    Field(max_length=10, json_schema_extra={"pattern": DAY_FORM, "format": "date"}),
    AfterValidator(check_day),
]
ReferenceText = Annotated[
    str,
    Field(
        max_length=10,
        description=(
            f"The day relative text counts from: YYYY-MM-DD (the article's publication "
            f'date), or "{TODAY}" (UTC).'
        ),
        json_schema_extra={"pattern": f"^({TODAY}|{DAY_FORM[1:-1]})$"},
    ),
    AfterValidator(check_reference),
]
TimeZoneName = Annotated[
    str,
    Field(max_length=64, description="An IANA time zone name, e.g. Europe/Berlin."),
    AfterValidator(check_timezone),
]
Url = Annotated[
    str,
    Field(
        max_length=2000,
        description="An absolute http or https URL with a host.",
        json_schema_extra={"pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+([/?#]\S*)?$"},
    ),
    AfterValidator(check_one_line),
    AfterValidator(check_url),
]
WhenText = Annotated[
    str,
    _line(200, "Free text such as 'Feb 9-10, 2025' or '2月17日'.", min_length=1),
    AfterValidator(check_one_line),
]
OrganizationTexts = Annotated[
    Annotated[OrganizationName, Form("text")]
    | Annotated[
        dict[LanguageTag, OrganizationName],
        Form("languages"),
        Field(
            min_length=1,
            title="OrganizationNames",
            description=(
                'The name by BCP 47 language tag: {"zh": "法国政府", "en": "French '
                'Government"}; each is shown in the outputs asked for in its language.'
            ),
        ),
    ],
    Discriminator(_form),
]
TagList = Annotated[list[Tag], Field(max_length=MAX_TAGS)]
OrganizationList = Annotated[list[OrganizationTexts], Field(max_length=MAX_TAGS)]
EventId = Annotated[
    str, Field(pattern=EVENT_ID, description="A slug: lowercase ASCII letters, digits, '-'.")
]
Published = Annotated[
    str,
    Field(max_length=10, json_schema_extra={"pattern": PUBLISHED_FORMS}),
    AfterValidator(check_published),
]
