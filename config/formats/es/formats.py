"""Spanish: "7 dic 2026" and the 24-hour clock (Django's own long form, "7 de diciembre de
2026", is too wide for a card on a phone)."""

DATE_FORMAT = "j b Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j b Y, H:i"
MONTH_DAY_FORMAT = "j b"
