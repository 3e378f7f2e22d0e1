"""Product recommendations that respect what the shopper asked for.

A request is read from the shopper's words (:mod:`bot.recommend.request`), products are ranked by
the knowledge index and filtered by hard constraints that are never broken
(:mod:`bot.recommend.search`, :mod:`bot.recommend.filters`), each suggestion carries one grounded
reason (:mod:`bot.recommend.reasons`), and follow-ups refine the shown products
(:mod:`bot.recommend.refine`, :mod:`bot.recommend.dialogue`); a verified shopper's stated
preferences are kept and used (:mod:`bot.recommend.personal`).
"""
