# Dates in words, in full: "1 December 2026" (Django's English default abbreviates the month,
# "Dec. 1, 2026"). The site writes British English ("organisation").
DATE_FORMAT = "j F Y"
