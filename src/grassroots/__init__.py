"""grassroots: find, vet, run and measure campaigns with small creators."""

__version__ = "0.1.0"
