"""Looking at built documents: ``livret serve`` (a live page) and ``livret preview`` (PNGs)."""
