"""Suggestion pages by surface: deputy (/m/suggestions/), unit (/unit/suggestions/), public."""
