"""Languages a practitioner can consult in, as ISO 639 codes (639-3 where 639-1 has none)."""

LANGUAGES: dict[str, str] = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "th": "Thai",
    "tl": "Tagalog", "vi": "Vietnamese", "yue": "Cantonese", "zh": "Mandarin Chinese",
}  # fmt: skip

LANGUAGE_CHOICES = sorted(LANGUAGES.items(), key=lambda item: item[1])
