"""Grounded replies to knowledge questions: the generator (a small causal LM behind a
Protocol), the prompt, the grounding check, and the answer pipeline that ties them to
retrieval. Nothing here loads a model at import time."""
